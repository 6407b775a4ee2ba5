package vn.gocua.app

import android.content.Intent
import android.os.Bundle
import vn.gocua.app.logic.CardUi
import vn.gocua.app.logic.Input
import vn.gocua.core.CardScreen
import vn.gocua.core.CardView

/**
 * A household's card and take-home sheet: the core's CardScreen drawn as it is, the QR code drawn
 * from the core's module matrix (Binder.qrBitmap); "share" hands the core's plain-text sheet to
 * the system's share sheet (print, message). Opens the household's members, visit, conflicts and
 * corrections.
 */
class CardActivity : Screen() {
    private lateinit var household: String
    private var card: CardView? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
    }

    override fun onResume() {
        super.onResume()
        // Read anew each time (the card has no events): members or progress may have changed.
        core({ CardScreen(app.register(), household).use { it.view() } }) { v ->
            card = v
            show(CardUi.page(v, caption))
        }
    }

    override fun on(input: Input) {
        when (input.key) {
            "open:members" -> open(MembersActivity::class.java, household)
            "open:visit" -> open(VisitActivity::class.java, household)
            "open:conflicts" -> open(ConflictsActivity::class.java, household)
            "open:corrections" -> open(CorrectionsActivity::class.java, household)
            "open:hand_household" -> open(BundlesActivity::class.java, household)
            "share" -> card?.let { c ->
                val send = Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, c.text)
                startActivity(Intent.createChooser(send, getString(R.string.card_share)))
            }
        }
    }
}
