package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.ChecklistUi
import vn.gocua.app.logic.Input
import vn.gocua.core.ChecklistEvent
import vn.gocua.core.ChecklistScreen
import vn.gocua.core.ChecklistView
import vn.gocua.core.checklistItems
import vn.gocua.core.checklistStatuses

/**
 * A member's checklist: the core's ChecklistScreen drawn as it is (progress line, items, next
 * steps; the editor with the guide, its cautions, the statuses and the reason the core asks for).
 */
class ChecklistActivity : Screen() {
    private lateinit var household: String
    private lateinit var member: String
    private var ui: ChecklistUi? = null
    private val screen: ChecklistScreen get() = screenOf("checklist:$household:$member") { ChecklistScreen(app.register(), household, member) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
        member = intent.getStringExtra(EXTRA_MEMBER) ?: return finish()
        val lang = app.lang
        core({ ChecklistUi(checklistItems(lang), checklistStatuses(lang)) to screen.view() }) { (u, v) -> ui = u; render(v) }
    }

    private fun render(v: ChecklistView) { ui?.let { show(it.page(v)) } }

    override fun on(input: Input) {
        val e: ChecklistEvent = ui?.event(input) ?: return
        core({ screen.send(e) }) { render(it) }
    }
}
