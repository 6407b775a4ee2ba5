package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.CorrectionsUi
import vn.gocua.app.logic.Input
import vn.gocua.core.CorrectionsEvent
import vn.gocua.core.CorrectionsScreen
import vn.gocua.core.CorrectionsView

/**
 * Corrections after the visit: the core's CorrectionsScreen drawn as it is (household fields sent
 * when the typing of a field ends, the hamlet picker; each member's removal, withdrawal and
 * erasure asked first by the core's question, then confirmed). A household gone (erased) goes
 * back to the list.
 */
class CorrectionsActivity : Screen() {
    private lateinit var household: String
    private val screen: CorrectionsScreen get() = screenOf("corrections:$household") { CorrectionsScreen(app.register(), household) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
        core({ screen.view() }) { render(it) }
    }

    private fun render(v: CorrectionsView) {
        show(CorrectionsUi.page(v))
        if (v.gone) {
            startActivity(android.content.Intent(this, AreaActivity::class.java).addFlags(android.content.Intent.FLAG_ACTIVITY_CLEAR_TOP))
            finish()
        }
    }

    private fun send(e: CorrectionsEvent) = core({ screen.send(e) }) { render(it) }

    override fun on(input: Input) { CorrectionsUi.event(input)?.let { send(it) } }
}
