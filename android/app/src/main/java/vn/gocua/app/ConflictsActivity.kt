package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.ConflictsUi
import vn.gocua.app.logic.Input
import vn.gocua.core.ConflictsScreen

/** A household's conflicts: the core's ConflictsScreen drawn as it is; a value's button keeps it. */
class ConflictsActivity : Screen() {
    private lateinit var household: String
    private val screen: ConflictsScreen get() = screenOf("conflicts:$household") { ConflictsScreen(app.register(), household) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
        core({ screen.view() }) { show(ConflictsUi.page(it)) }
    }

    override fun on(input: Input) {
        val (conflict, value) = ConflictsUi.keep(input) ?: return
        core({ screen.keep(conflict, value) }) { show(ConflictsUi.page(it)) }
    }
}
