package vn.gocua.app

import android.content.Intent
import android.os.Bundle
import android.view.LayoutInflater
import android.widget.TextView
import java.text.SimpleDateFormat
import java.util.Date
import java.util.Locale
import vn.gocua.app.logic.AreaModel

/**
 * My area: the households of the volunteer's hamlets with progress and an unsynced mark; search
 * by the core (no diacritics needed); a follow-ups filter. The launcher: goes to enrol first.
 */
class AreaActivity : Screen() {
    private lateinit var model: AreaModel

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (!app.enrolled) {
            startActivity(Intent(this, EnrolActivity::class.java))
            finish()
            return
        }
        model = AreaModel(t, SimpleDateFormat("yyyy-MM-dd", Locale.ROOT).format(Date()))
        setScreenTitle(getString(R.string.area_title))
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
        rowsStart = -1
        renderRows()
        action(getString(R.string.area_register)) { startActivity(Intent(this, RegisterActivity::class.java)) }
        action(getString(R.string.area_sync)) { startActivity(Intent(this, SyncActivity::class.java)) }
    }

    private var rowsStart = -1

    private fun renderRows() {
        if (rowsStart < 0 || rowsStart > body.childCount) rowsStart = body.childCount
        while (body.childCount > rowsStart) body.removeViewAt(rowsStart)
        val rows = model.rows()
        if (rows.isEmpty()) text(model.emptyText())
        val inflater = LayoutInflater.from(this)
        for (r in rows) {
            val v = inflater.inflate(R.layout.row_household, body, false)
            (v.findViewById(R.id.row_title) as TextView).text = r.title
            (v.findViewById(R.id.row_mark) as TextView).text = listOfNotNull(
                if (r.unsynced) getString(R.string.area_unsynced) else null,
                if (r.followUpDue) getString(R.string.area_due) else null,
                if (r.conflicts > 0) "⚠ ${r.conflicts}" else null,
            ).joinToString(" ")
            (v.findViewById(R.id.row_address) as TextView).text = listOfNotNull(r.address, r.plusCode).joinToString(" · ")
            (v.findViewById(R.id.row_progress) as TextView).text = r.progress
            v.setOnClickListener {
                startActivity(Intent(this, CardActivity::class.java).putExtra(EXTRA_HOUSEHOLD, r.id))
            }
            body.addView(v)
        }
    }

    companion object { const val EXTRA_HOUSEHOLD = "household" }
}
