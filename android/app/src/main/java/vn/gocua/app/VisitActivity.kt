package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.VisitUi
import vn.gocua.core.VisitScreen

/**
 * Today's visit: the core's VisitScreen drawn as it is (outcomes, the follow-up date as typed and
 * read by the core, a note, the earlier visits in the core's sentences).
 */
class VisitActivity : Screen() {
    private lateinit var household: String
    private val screen: VisitScreen get() = screenOf("visit:$household") { VisitScreen(app.register(), household) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
        core({ screen.view() }) { show(VisitUi.page(it)) }
    }

    override fun on(input: Input) {
        val e = VisitUi.event(input) ?: return
        core({ screen.send(e) }) { show(VisitUi.page(it)) }
    }
}
