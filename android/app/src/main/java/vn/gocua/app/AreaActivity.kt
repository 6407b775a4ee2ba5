package vn.gocua.app

import android.content.Intent
import android.os.Bundle
import android.view.LayoutInflater
import android.view.View
import android.view.ViewGroup
import android.widget.BaseAdapter
import android.widget.ListView
import android.widget.TextView
import vn.gocua.app.logic.AreaUi
import vn.gocua.app.logic.Input
import vn.gocua.core.AreaEvent
import vn.gocua.core.AreaScreen
import vn.gocua.core.AreaView
import vn.gocua.core.HouseholdRow

/**
 * My area: the core's AreaScreen drawn as it is (header, hamlet picker, search, follow-ups due,
 * search before create, a page of households with "more"). The launcher: goes to enrol first.
 * The households are a ListView whose adapter recycles row views, under a fixed body
 * (layout activity_list).
 */
class AreaActivity : Screen() {
    private val adapter = RowsAdapter()
    private val screen: AreaScreen get() = screenOf(KEY) { AreaScreen(app.register()) }

    /** The search-before-create form is open, and what was typed in it (the EditTexts' text). */
    private var checking = false
    private val typed = HashMap<String, String>()
    private var last: AreaView? = null
    /** A check before create (or "none of these") was sent: the core's `createNext` answers it. */
    private var checkSent = false

    override val layoutId: Int get() = R.layout.activity_list

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (!app.enrolled) {
            startActivity(Intent(this, EnrolActivity::class.java))
            finish()
            return
        }
        checking = savedInstanceState?.getBoolean("checking") ?: false
        val list = findViewById(R.id.list) as ListView
        list.emptyView = findViewById(R.id.list_empty)
        list.adapter = adapter
        list.setOnItemClickListener { _, _, position, _ -> openKey(AreaUi.rowKey(adapter.getItem(position))) }
    }

    override fun onSaveInstanceState(outState: Bundle) {
        super.onSaveInstanceState(outState)
        outState.putBoolean("checking", checking)
    }

    override fun onResume() {
        super.onResume()
        if (!app.enrolled) return
        core({ screen.view() }) { render(it) } // households may have changed elsewhere
    }

    private fun render(v: AreaView) {
        last = v
        if (checkSent && v.createNext) {
            // Nothing matched, or "none of these": the new household's form.
            checking = false
            checkSent = false
            startActivity(Intent(this, HouseholdFormActivity::class.java))
        }
        show(AreaUi.page(v, caption, checking))
        adapter.rows = v.households
        adapter.notifyDataSetChanged()
    }

    private fun send(e: AreaEvent) = core({ screen.send(e) }) { render(it) }

    override fun on(input: Input) {
        if (input is Input.Typed) typed[input.key] = input.value
        when {
            input is Input.Pressed && input.key == "register" -> { checking = true; typed.clear(); last?.let(::render) }
            input is Input.Pressed && input.key == "check_cancel" -> { checking = false; checkSent = false; last?.let(::render) }
            input is Input.Pressed && input.key == "sync" -> startActivity(Intent(this, SyncActivity::class.java))
            input is Input.Pressed && AreaUi.household(input.key) != null -> openKey(input.key)
            input is Input.Typed && input.key.startsWith("field:check_") -> Unit // sent with "check"
            else -> AreaUi.event(input, typed)?.let { e ->
                if (e is AreaEvent.CheckBeforeCreate || e is AreaEvent.NoneOfThese) checkSent = true
                send(e)
            }
        }
    }

    private fun openKey(key: String) {
        AreaUi.household(key)?.let { open(CardActivity::class.java, household = it) }
    }

    private class Holder(v: View) {
        val title = v.findViewById(R.id.row_title) as TextView
        val mark = v.findViewById(R.id.row_mark) as TextView
        val address = v.findViewById(R.id.row_address) as TextView
        val members = v.findViewById(R.id.row_members) as TextView
    }

    /** The households, one recycled row view each: the core's row, each of its lines in its place. */
    private class RowsAdapter : BaseAdapter() {
        var rows: List<HouseholdRow> = emptyList()

        override fun getCount() = rows.size
        override fun getItem(position: Int): HouseholdRow = rows[position]
        override fun getItemId(position: Int) = position.toLong()

        override fun getView(position: Int, convertView: View?, parent: ViewGroup): View {
            val v = convertView ?: LayoutInflater.from(parent.context).inflate(R.layout.row_household, parent, false)
                .also { it.tag = Holder(it) }
            val h = v.tag as Holder
            val r = rows[position]
            h.title.text = r.head
            h.mark.text = r.badgeLine
            h.address.text = r.address
            h.members.text = r.membersLine
            return v
        }
    }

    private companion object { const val KEY = "area" }
}
