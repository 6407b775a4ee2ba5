package vn.gocua.app

import android.os.Bundle
import android.widget.LinearLayout
import vn.gocua.app.logic.ConflictModel

/** Review: each conflict of a household, both values side by side; choosing one settles it. */
class ConflictsActivity : Screen() {
    private var model: ConflictModel? = null
    private lateinit var householdId: String

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        householdId = intent.getStringExtra(AreaActivity.EXTRA_HOUSEHOLD) ?: return finish()
        setScreenTitle(getString(R.string.conflicts_title))
        load()
    }

    private fun load() {
        core({
            val r = app.register()
            val names = r.household(householdId).members.associate { it.id to it.fullName }
            names to r.conflicts(householdId)
        }) { (names, list) ->
            model = ConflictModel(t, names).apply { load(list) }
            render()
        }
    }

    override fun render() {
        clear()
        val m = model ?: return
        val cards = m.cards()
        if (cards.isEmpty()) text(m.emptyText())
        cards.forEach { c ->
            text(c.title, R.style.Gocua_Title)
            val r: LinearLayout = row()
            listOf(c.left, c.right).forEachIndexed { side, v ->
                choice("${v.value}\n${v.who}", false, r) {
                    val (conflict, value) = m.choice(c.index, side)
                    core({ app.register().resolveConflict(householdId, conflict.field, value) }) { load() }
                }
            }
        }
        action(getString(R.string.ok)) { finish() }
    }
}
