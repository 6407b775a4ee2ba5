package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.ChecklistModel
import vn.gocua.core.checklistItems
import vn.gocua.core.checklistStatuses
import vn.gocua.core.onboardingGuide

/** A member's checklist: items with status, an item opens its guided steps and status buttons. */
class ChecklistActivity : Screen() {
    private lateinit var model: ChecklistModel
    private lateinit var householdId: String
    private lateinit var memberId: String

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        householdId = intent.getStringExtra(AreaActivity.EXTRA_HOUSEHOLD) ?: return finish()
        memberId = intent.getStringExtra(EXTRA_MEMBER) ?: return finish()
        model = ChecklistModel(t, checklistItems(app.lang), checklistStatuses(app.lang))
        load()
    }

    private fun load() {
        core({ app.register().household(householdId).members.first { it.id == memberId } }) { m ->
            setScreenTitle(m.fullName)
            model.load(m.checklist)
            render()
        }
    }

    override fun render() {
        clear()
        text(model.progress())
        val open = model.open
        if (open == null) {
            model.rows().forEach { r ->
                button((if (r.fiveSkills) "★ " else "") + "${r.label}\n${r.statusLabel}" + (r.reason?.let { " · $it" } ?: "")) {
                    model.openItem(r.item, onboardingGuide(r.item, app.lang))
                    render()
                }
            }
            action(getString(R.string.ok)) { finish() }
            return
        }
        text(model.guide?.title ?: "", R.style.Gocua_Title)
        text(getString(R.string.checklist_steps))
        model.steps().forEach { text(it) }
        model.cautions().forEach { text(it) }
        model.buttons().chunked(2).forEach { pair ->
            val r = row()
            pair.forEach { b -> choice(b.label, b.selected, r) { model.choose(b.status); render() } }
        }
        if (model.needsReason) edit(getString(R.string.checklist_reason), model.reason) { model.reason = it; actions.getChildAt(1)?.isEnabled = model.canSave }
        action(getString(R.string.register_back)) { model.close(); render() }
        action(getString(R.string.checklist_save), enabled = model.canSave) {
            val item = open
            val status = model.chosen ?: return@action
            core({ app.register().setChecklist(householdId, memberId, item, status, model.reasonToSave(), null) }) {
                model.close()
                load()
            }
        }
    }

    companion object { const val EXTRA_MEMBER = "member" }
}
