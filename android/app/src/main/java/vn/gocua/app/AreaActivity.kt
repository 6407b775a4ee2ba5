package vn.gocua.app

import android.content.Intent
import android.os.Bundle
import android.view.LayoutInflater
import android.view.View
import android.view.ViewGroup
import android.widget.BaseAdapter
import android.widget.ListView
import android.widget.TextView
import java.text.SimpleDateFormat
import java.util.Date
import java.util.Locale
import vn.gocua.app.logic.AreaModel
import vn.gocua.app.logic.HouseholdRow

/**
 * My area: the households of the volunteer's hamlets with progress and an unsynced mark; search
 * by the core (no diacritics needed); a follow-ups filter. The launcher: goes to enrol first.
 * The rows are a ListView whose adapter recycles row views (a few dozen views for any number of
 * households), under a fixed header (layout activity_list).
 */
class AreaActivity : Screen() {
    private lateinit var model: AreaModel
    private val adapter = RowsAdapter()

    override val layoutId: Int get() = R.layout.activity_list

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (!app.enrolled) {
            startActivity(Intent(this, EnrolActivity::class.java))
            finish()
            return
        }
        model = AreaModel(t, SimpleDateFormat("yyyy-MM-dd", Locale.ROOT).format(Date()))
        setScreenTitle(getString(R.string.area_title))
        val list = findViewById(R.id.list) as ListView
        list.emptyView = findViewById(R.id.list_empty)
        list.adapter = adapter
        list.setOnItemClickListener { _, _, position, _ ->
            val r = adapter.getItem(position)
            startActivity(Intent(this, CardActivity::class.java).putExtra(EXTRA_HOUSEHOLD, r.id))
        }
    }

    override fun onResume() {
        super.onResume()
        if (!::model.isInitialized) return
        core({
            val r = app.register()
            val commune = r.identity().communeCode
            val hamlets = r.hamlets(commune)
            val all = hamlets.flatMap { h -> r.listHamlet(commune, h.id, 500u, 0u) }
            all to hamlets.associate { it.id to it.name }
        }) { (all, names) ->
            model.load(all, names)
            render()
        }
    }

    override fun render() {
        clear()
        text(model.header())
        edit(getString(R.string.area_search), model.query) { q ->
            core({ if (q.isBlank()) emptyList() else app.register().search(q, 50u) }) { hits ->
                model.onSearch(q, hits)
                renderRows()
            }
        }
        choice(getString(R.string.area_follow_ups), model.followUpsOnly, row()) {
            model.followUpsOnly = !model.followUpsOnly
            render()
        }
        renderRows()
        action(getString(R.string.area_register)) { startActivity(Intent(this, RegisterActivity::class.java)) }
        action(getString(R.string.area_sync)) { startActivity(Intent(this, SyncActivity::class.java)) }
    }

    /** New rows for the list; the search field and the rest of the screen stay as they are. */
    private fun renderRows() {
        adapter.rows = model.rows()
        (findViewById(R.id.list_empty) as TextView).text = model.emptyText()
        adapter.notifyDataSetChanged()
    }

    private class Holder(v: View) {
        val title = v.findViewById(R.id.row_title) as TextView
        val mark = v.findViewById(R.id.row_mark) as TextView
        val address = v.findViewById(R.id.row_address) as TextView
        val progress = v.findViewById(R.id.row_progress) as TextView
    }

    private inner class RowsAdapter : BaseAdapter() {
        var rows: List<HouseholdRow> = emptyList()

        override fun getCount() = rows.size
        override fun getItem(position: Int): HouseholdRow = rows[position]
        override fun getItemId(position: Int) = position.toLong()

        override fun getView(position: Int, convertView: View?, parent: ViewGroup): View {
            val v = convertView ?: LayoutInflater.from(parent.context).inflate(R.layout.row_household, parent, false)
                .also { it.tag = Holder(it) }
            val h = v.tag as Holder
            val r = rows[position]
            h.title.text = r.title
            h.mark.text = listOfNotNull(
                if (r.unsynced) getString(R.string.area_unsynced) else null,
                if (r.followUpDue) getString(R.string.area_due) else null,
                if (r.conflicts > 0) "⚠ ${r.conflicts}" else null,
            ).joinToString(" ")
            h.address.text = listOfNotNull(r.address, r.plusCode).joinToString(" · ")
            h.progress.text = r.progress
            return v
        }
    }

    companion object { const val EXTRA_HOUSEHOLD = "household" }
}
