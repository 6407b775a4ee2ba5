package vn.gocua.app

import android.app.DatePickerDialog
import android.content.Intent
import java.util.Calendar
import android.os.Bundle
import vn.gocua.app.logic.Format
import vn.gocua.core.HouseholdCard
import vn.gocua.core.Member
import vn.gocua.core.VisitOutcome
import vn.gocua.core.visitOutcomes

/**
 * A household: its card (QR payload and Plus Code, to show or share), its members (ID numbers
 * masked) with their checklists, and its conflicts to review.
 */
class CardActivity : Screen() {
    private lateinit var householdId: String
    private var card: HouseholdCard? = null
    private var members: List<Member> = emptyList()
    private var conflicts = 0

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        householdId = intent.getStringExtra(AreaActivity.EXTRA_HOUSEHOLD) ?: return finish()
        setScreenTitle(getString(R.string.card_title))
    }

    override fun onResume() {
        super.onResume()
        core({
            val r = app.register()
            Triple(r.householdCard(householdId), r.household(householdId).members.filter { !it.removed }, r.conflicts(householdId).size)
        }) { (c, m, n) -> card = c; members = m; conflicts = n; render() }
    }

    private fun recordVisit(outcome: VisitOutcome, followUpOn: String?) {
        val c = Calendar.getInstance()
        val today = Format.isoDate(c.get(Calendar.YEAR), c.get(Calendar.MONTH) + 1, c.get(Calendar.DAY_OF_MONTH))
        core({ app.register().recordVisit(householdId, today, outcome, null, followUpOn) }) {
            android.widget.Toast.makeText(this, t.pick("Đã ghi lần thăm.", "Visit recorded."), android.widget.Toast.LENGTH_SHORT).show()
        }
    }

    override fun render() {
        clear()
        val c = card ?: return
        c.plusCode?.let { text(getString(R.string.register_plus_code, it), R.style.Gocua_Title) }
        // The QR image needs an encoder: the core does not export one yet (see docs/shells.md).
        text(getString(R.string.card_qr_missing, c.qrPayload))
        members.forEach { m ->
            val id = Format.maskIdNumber(m.idNumber)
            button(m.fullName + (if (id.isNotEmpty()) " · $id" else "")) {
                startActivity(Intent(this, ChecklistActivity::class.java)
                    .putExtra(AreaActivity.EXTRA_HOUSEHOLD, householdId).putExtra(ChecklistActivity.EXTRA_MEMBER, m.id))
            }
        }
        text(t.pick("Ghi lần thăm hôm nay", "Record today's visit"), R.style.Gocua_Title)
        visitOutcomes(app.lang).forEach { o ->
            button(o.label) {
                if (o.outcome == VisitOutcome.FOLLOW_UP_NEEDED) {
                    val later = Calendar.getInstance().apply { add(Calendar.DAY_OF_MONTH, 7) }
                    DatePickerDialog(this, { _, y, m, d -> recordVisit(o.outcome, Format.isoDate(y, m + 1, d)) },
                        later.get(Calendar.YEAR), later.get(Calendar.MONTH), later.get(Calendar.DAY_OF_MONTH)).show()
                } else recordVisit(o.outcome, null)
            }
        }
        if (conflicts > 0) button("⚠ " + getString(R.string.conflicts_title) + " ($conflicts)") {
            startActivity(Intent(this, ConflictsActivity::class.java).putExtra(AreaActivity.EXTRA_HOUSEHOLD, householdId))
        }
        action(getString(R.string.card_share)) {
            val text = listOfNotNull(c.plusCode, c.qrPayload).joinToString("\n")
            startActivity(Intent.createChooser(Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, text), getString(R.string.card_share)))
        }
    }
}
