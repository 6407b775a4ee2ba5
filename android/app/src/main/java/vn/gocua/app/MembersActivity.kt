package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.MembersUi
import vn.gocua.core.ConsentScreen
import vn.gocua.core.MembersEvent
import vn.gocua.core.MembersScreen
import vn.gocua.core.MembersView

/**
 * A household's members: the core's MembersScreen drawn as it is (rows masked by the core, the
 * form with its pickers and messages, warnings accepted explicitly, the household's checks). When
 * the core says a member's consent comes next, the consent screen opens with what was typed.
 */
class MembersActivity : Screen() {
    private lateinit var household: String
    private val screen: MembersScreen get() = screenOf("members:$household") { MembersScreen(app.register(), household) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        household = intent.getStringExtra(EXTRA_HOUSEHOLD) ?: return finish()
    }

    override fun onResume() {
        super.onResume()
        core({ screen.view() }) { render(it) }
    }

    private fun render(v: MembersView) {
        show(MembersUi.page(v, caption))
        v.consentNext?.let { member ->
            // The pending personal fields go to the consent screen once (MembersScreen.consentScreen).
            core({ app.screens.put(ConsentActivity.key(household, member), screen.consentScreen(member)) }) {
                open(ConsentActivity::class.java, household, member)
            }
        }
    }

    private fun send(e: MembersEvent) = core({ screen.send(e) }) { render(it) }

    override fun on(input: Input) {
        val key = (input as? Input.Pressed)?.key ?: ""
        when {
            key.startsWith("consent:") -> {
                val member = key.removePrefix("consent:")
                core({ app.screens.put(ConsentActivity.key(household, member), ConsentScreen(app.register(), household, member)) }) {
                    open(ConsentActivity::class.java, household, member)
                }
            }
            key.startsWith("checklist:") -> open(ChecklistActivity::class.java, household, key.removePrefix("checklist:"))
            else -> MembersUi.event(input)?.let { send(it) }
        }
    }
}
