package vn.gocua.app

import android.content.Intent
import android.os.Bundle
import vn.gocua.app.logic.Format
import vn.gocua.core.HouseholdCard
import vn.gocua.core.Member

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
        if (conflicts > 0) button("⚠ " + getString(R.string.conflicts_title) + " ($conflicts)") {
            startActivity(Intent(this, ConflictsActivity::class.java).putExtra(AreaActivity.EXTRA_HOUSEHOLD, householdId))
        }
        action(getString(R.string.card_share)) {
            val text = listOfNotNull(c.plusCode, c.qrPayload).joinToString("\n")
            startActivity(Intent.createChooser(Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, text), getString(R.string.card_share)))
        }
    }
}
