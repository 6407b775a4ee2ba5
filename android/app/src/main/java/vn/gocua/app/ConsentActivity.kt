package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.ConsentUi
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.Widget
import vn.gocua.core.ConsentScreen
import vn.gocua.core.ConsentStepEvent
import vn.gocua.core.ConsentView

/**
 * A member's consent: the core's ConsentScreen drawn as it is (the notice read out, purposes
 * unticked, the method, the paper form kept, a guardian for a minor; "give" enabled by the core).
 * The screen object was made by the members screen (with what was typed) and kept by the app.
 */
class ConsentActivity : Screen() {
    private lateinit var key: String
    private lateinit var household: String
    private lateinit var member: String
    private val screen: ConsentScreen get() = screenOf(key) { ConsentScreen(app.register(), household, member) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
        member = intent.getStringExtra(EXTRA_MEMBER) ?: return finish()
        key = key(household, member)
        core({ screen.view() }) { render(it) }
    }

    private fun render(v: ConsentView) {
        val page = ConsentUi.page(v)
        // Finished: the core's notice says what was kept; the volunteer goes back when read.
        show(if (v.finished) page.copy(bar = listOf(Widget.Button("done", caption("done"), true))) else page)
    }

    private fun send(e: ConsentStepEvent) = core({ screen.send(e) }) { render(it) }

    override fun on(input: Input) {
        if (input is Input.Pressed && input.key == "done") core({ app.screens.drop(key) }) { finish() }
        else ConsentUi.event(input)?.let { send(it) }
    }

    companion object {
        fun key(household: String, member: String) = "consent:$household:$member"
    }
}
