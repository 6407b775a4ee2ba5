package vn.gocua.app.logic

import vn.gocua.app.logic.Widgets.ACTION
import vn.gocua.app.logic.Widgets.FIELD
import vn.gocua.app.logic.Widgets.PICK
import vn.gocua.app.logic.Widgets.button
import vn.gocua.app.logic.Widgets.field
import vn.gocua.app.logic.Widgets.fieldWidgets
import vn.gocua.app.logic.Widgets.name
import vn.gocua.app.logic.Widgets.notices
import vn.gocua.app.logic.Widgets.options
import vn.gocua.app.logic.Widgets.texts
import vn.gocua.core.AreaEvent
import vn.gocua.core.AreaView
import vn.gocua.core.BundleRowView
import vn.gocua.core.BundlesView
import vn.gocua.core.CardView
import vn.gocua.core.ChecklistEvent
import vn.gocua.core.ChecklistItemInfo
import vn.gocua.core.ChecklistStatusInfo
import vn.gocua.core.ChecklistView
import vn.gocua.core.ConflictsView
import vn.gocua.core.ConsentStepEvent
import vn.gocua.core.ConsentView
import vn.gocua.core.CorrectionsEvent
import vn.gocua.core.CorrectionsView
import vn.gocua.core.EnrolEvent
import vn.gocua.core.EnrolView
import vn.gocua.core.HouseholdFormEvent
import vn.gocua.core.HouseholdFormView
import vn.gocua.core.HouseholdRow
import vn.gocua.core.MatchRow
import vn.gocua.core.MemberRow
import vn.gocua.core.MembersEvent
import vn.gocua.core.MembersView
import vn.gocua.core.OpenedView
import vn.gocua.core.SyncStatusView
import vn.gocua.core.VisitEvent
import vn.gocua.core.VisitView

/**
 * One screen as drawn: its title, its scrolling body and its bar of buttons. Built from the core's
 * view state alone; the only words added are static captions of the shell's own buttons, looked up
 * by name ([Caption]: res/values, res/values-en) and never holding data.
 */
data class Page(val title: String, val body: List<Widget>, val bar: List<Widget>)

/** The shell's static captions by name (the Activity reads res/values; tests pass the name). */
typealias Caption = (String) -> String

private fun List<Widget>.plusNotices(list: List<vn.gocua.core.Notice>, prefix: String = "notice") = this + notices(list, prefix)

object EnrolUi {
    fun page(v: EnrolView, c: Caption): Page {
        val body = mutableListOf<Widget>()
        v.fields.forEach { f ->
            body += fieldWidgets(f)
            if (f.paste) body += Widget.Button(PASTE + f.key, c("paste"), true)
        }
        body += texts(v.missing, "missing", Tone.WARNING)
        return Page(v.title, body.plusNotices(v.notices), v.actions.map { button(it) })
    }

    /** A paste button's key: this prefix and the field the clipboard goes into. */
    const val PASTE = "paste:"

    /** The clipboard's text pasted into the field a paste button names. */
    fun pasted(i: Input, clipboard: () -> String): EnrolEvent? =
        if (i is Input.Pressed && i.key.startsWith(PASTE)) event(Input.Typed(FIELD + i.key.removePrefix(PASTE), clipboard())) else null

    fun event(i: Input): EnrolEvent? = when (i) {
        is Input.Typed -> name(i.key, FIELD)?.let { EnrolEvent.Set(it, i.value) }
        is Input.Chose -> name(i.key, PICK)?.let { EnrolEvent.Choose(it, i.code) }
        else -> null
    }
}

object AreaUi {
    /** The body above the list; [checking]: the search-before-create form is open. */
    fun page(v: AreaView, c: Caption, checking: Boolean): Page {
        val body = mutableListOf<Widget>()
        body += texts(v.header, "header")
        body += Widget.Choice(PICK + "hamlet", "", options(v.hamletOptions))
        body += Widget.Field(FIELD + "search", c("search"), "", "", false, true, emptyList())
        body += v.searchResults.map { match("match", it) }
        v.followUpsTitle?.let { title ->
            body += Widget.Text("due_title", title, Tone.TITLE)
            body += v.followUpsDue.map { Widget.Item("due:" + it.id, it.head, listOf(it.address, it.membersLine), it.badgeLine) }
        }
        if (checking) {
            body += Widget.Field(FIELD + "check_name", c("name"), "", "", true, true, emptyList())
            body += Widget.Field(FIELD + "check_phone", c("phone"), "", "", false, true, emptyList())
            body += Widget.Field(FIELD + "check_id_number", c("id_number"), "", "", false, true, emptyList())
            body += Widget.Button("check", c("check"), true)
            body += Widget.Button("check_cancel", c("cancel"), true)
            body += v.candidates.map { match("candidate", it) }
        }
        val bar = v.actions.filter { it.id != "more" || it.enabled }.filter { checking || it.id != "none_of_these" }.map { button(it) }
        val own = listOf(Widget.Button("register", c("register"), !checking), Widget.Button("sync", c("sync"), true))
        return Page(v.title, body.plusNotices(v.notices), bar + own)
    }

    private fun match(prefix: String, m: MatchRow) = Widget.Item("$prefix:${m.household}:${m.member}", m.name, m.details)

    /** A household row's key: the list adapter's rows are the core's HouseholdRow, opened by this key. */
    fun rowKey(r: HouseholdRow) = "household:" + r.id

    /** The household a tapped row opens. */
    fun household(key: String): String? = when {
        key.startsWith("household:") -> key.removePrefix("household:")
        key.startsWith("due:") -> key.removePrefix("due:")
        key.startsWith("match:") || key.startsWith("candidate:") -> key.split(":").getOrNull(1)
        else -> null
    }

    fun event(i: Input, typed: Map<String, String>): AreaEvent? = when {
        i is Input.Chose && i.key == PICK + "hamlet" -> AreaEvent.ChooseHamlet(i.code)
        i is Input.Typed && i.key == FIELD + "search" -> AreaEvent.Search(i.value)
        i is Input.Pressed && i.key == ACTION + "more" -> AreaEvent.More
        i is Input.Pressed && i.key == ACTION + "none_of_these" -> AreaEvent.NoneOfThese
        i is Input.Pressed && i.key == "check" -> AreaEvent.CheckBeforeCreate(
            typed[FIELD + "check_name"] ?: "", typed[FIELD + "check_phone"] ?: "", typed[FIELD + "check_id_number"] ?: "",
        )
        else -> null
    }
}

object HouseholdFormUi {
    const val POSITION = "position"

    /** The position, the core's sentence about the location's answer and the buttons that go with it. */
    fun page(v: HouseholdFormView): Page {
        val body = mutableListOf<Widget>()
        v.fields.forEach { f -> body += fieldWidgets(f) }
        body += Widget.Text(POSITION, v.position, Tone.TITLE)
        v.locationNotice?.let { body += Widget.Text("location", it.text, toneOf(it.severity)) }
        v.openSettings?.let { body += button(it) }
        body += button(v.locate)
        body += button(v.clearGps)
        body += notices(v.warnings, "warning")
        return Page(v.title, body.plusNotices(v.notices), v.actions.map { button(it) })
    }

    fun event(i: Input): HouseholdFormEvent? = when (i) {
        is Input.Typed -> name(i.key, FIELD)?.let { HouseholdFormEvent.Set(it, i.value) }
        is Input.Chose -> name(i.key, PICK)?.let { HouseholdFormEvent.Set(it, i.code) }
        is Input.Pressed -> when (i.key) {
            ACTION + "save" -> HouseholdFormEvent.Save
            ACTION + "accept_warnings" -> HouseholdFormEvent.AcceptWarnings
            ACTION + "clear_gps" -> HouseholdFormEvent.ClearGps
            else -> null
        }
        else -> null
    }
}

object MembersUi {
    fun page(v: MembersView, c: Caption): Page {
        val body = mutableListOf<Widget>()
        v.rows.forEach { r ->
            body += row(r)
            body += Widget.Button("edit:" + r.id, c("edit"), true)
            body += Widget.Button("remove:" + r.id, c("remove"), true, c("remove_confirm"))
            body += Widget.Button("consent:" + r.id, c("consent"), true)
            body += Widget.Button("checklist:" + r.id, c("checklist"), true)
        }
        body += notices(v.checks, "check")
        v.fields.forEach { f -> body += fieldWidgets(f) }
        return Page(v.title, body.plusNotices(v.notices), v.actions.map { button(it) })
    }

    fun row(r: MemberRow) = Widget.Item("member:" + r.id, r.name, r.details)

    fun event(i: Input): MembersEvent? = when (i) {
        is Input.Typed -> name(i.key, FIELD)?.let { MembersEvent.Set(it, i.value) }
        is Input.Chose -> name(i.key, PICK)?.let { MembersEvent.Set(it, i.code) }
        is Input.Pressed -> when {
            i.key == ACTION + "new_member" -> MembersEvent.NewMember
            i.key == ACTION + "save" -> MembersEvent.Save
            i.key == ACTION + "accept_warnings" -> MembersEvent.AcceptWarnings
            i.key == ACTION + "cancel" -> MembersEvent.Cancel
            i.key.startsWith("edit:") -> MembersEvent.EditMember(i.key.removePrefix("edit:"))
            i.key.startsWith("remove:") -> MembersEvent.Remove(i.key.removePrefix("remove:"))
            else -> null
        }
        else -> null
    }
}

object ConsentUi {
    fun page(v: ConsentView): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Text("person", v.person, Tone.TITLE)
        body += Widget.Text("notice_text", v.noticeText)
        body += Widget.Text("notice_version", v.noticeVersion)
        body += Widget.Choice(PICK + "purpose", "", options(v.purposes), multiple = true)
        body += Widget.Choice(PICK + "method", "", options(v.methods))
        v.paperFormQuestion?.let { body += Widget.Toggle("paper_form", it, v.paperFormKept) }
        if (v.guardianNeeded) body += Widget.Choice(PICK + "guardian", "", options(v.guardianOptions))
        return Page(v.title, body.plusNotices(v.notices), v.actions.map { button(it) })
    }

    fun event(i: Input): ConsentStepEvent? = when {
        i is Input.Chose && i.key == PICK + "purpose" -> ConsentStepEvent.TogglePurpose(i.code)
        i is Input.Chose && i.key == PICK + "method" -> ConsentStepEvent.ChooseMethod(i.code)
        i is Input.Chose && i.key == PICK + "guardian" -> ConsentStepEvent.ChooseGuardian(i.code)
        i is Input.Toggled && i.key == "paper_form" -> ConsentStepEvent.PaperFormKept(i.checked)
        i is Input.Pressed && i.key == ACTION + "give" -> ConsentStepEvent.Give
        i is Input.Pressed && i.key == ACTION + "decline" -> ConsentStepEvent.Decline
        else -> null
    }
}

/**
 * The checklist: items and statuses are named by the core's codes; the event takes the core's enum,
 * found in the core's own lists (`checklistItems`, `checklistStatuses`) by that code.
 */
class ChecklistUi(private val items: List<ChecklistItemInfo>, private val statuses: List<ChecklistStatusInfo>) {
    fun page(v: ChecklistView): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Text("progress", v.progress.line, Tone.TITLE)
        val e = v.editor
        if (e != null) {
            body += Widget.Text("editor_title", e.title, Tone.TITLE)
            body += Widget.Text("guide_title", e.guide.title)
            body += texts(e.guide.steps, "step")
            body += texts(e.guide.cautions, "caution", Tone.WARNING)
            body += Widget.Choice(PICK + "status", "", options(e.statuses))
            body += field(e.reason)
            body += notices(e.notices, "editor_notice")
            return Page(v.memberName, body.plusNotices(v.notices), listOf(button(e.close), button(e.save)))
        }
        body += v.items.map { Widget.Item("item:" + it.code, it.label, listOfNotNull(it.statusLabel, it.reason)) }
        body += v.nextSteps.mapIndexed { i, s -> Widget.Text("next:$i", s.text) }
        return Page(v.memberName, body.plusNotices(v.notices), emptyList())
    }

    fun event(i: Input): ChecklistEvent? = when {
        i is Input.Pressed && i.key.startsWith("item:") ->
            items.firstOrNull { it.code == i.key.removePrefix("item:") }?.let { ChecklistEvent.Open(it.item) }
        i is Input.Chose && i.key == PICK + "status" ->
            statuses.firstOrNull { it.code == i.code }?.let { ChecklistEvent.ChooseStatus(it.status) }
        i is Input.Typed && i.key == FIELD + "reason" -> ChecklistEvent.ReasonTyped(i.value)
        i is Input.Pressed && i.key == ACTION + "save" -> ChecklistEvent.Save
        i is Input.Pressed && i.key == ACTION + "close" -> ChecklistEvent.Close
        else -> null
    }
}

object ConflictsUi {
    fun page(v: ConflictsView): Page {
        val body = mutableListOf<Widget>()
        v.conflicts.forEachIndexed { i, c ->
            body += Widget.Text("conflict:$i", c.heading, Tone.TITLE)
            c.values.forEachIndexed { j, value ->
                body += Widget.Text("value:$i:$j", value.text + "\n" + value.who)
                body += Widget.Button("keep:$i:$j", value.keep.label, value.keep.enabled)
            }
        }
        return Page(v.title, body.plusNotices(v.notices), emptyList())
    }

    /** The conflict and value to keep (counted from 0, as listed). */
    fun keep(i: Input): Pair<UInt, UInt>? {
        if (i !is Input.Pressed || !i.key.startsWith("keep:")) return null
        val (c, v) = i.key.removePrefix("keep:").split(":").map { it.toUInt() }
        return c to v
    }
}

object CorrectionsUi {
    /** A member's action key: `member:<action id>:<member id>`. */
    private const val MEMBER = "member:"

    fun page(v: CorrectionsView): Page {
        val body = mutableListOf<Widget>()
        v.confirmQuestion?.let { body += Widget.Text("confirm_question", it, Tone.WARNING) }
        body += v.fields.flatMap { f -> fieldWidgets(f, commit = true) }
        v.members.forEach { m ->
            body += Widget.Text("name:" + m.id, m.name, Tone.TITLE)
            body += m.actions.map { a -> Widget.Button("$MEMBER${a.id}:${m.id}", a.label, a.enabled) }
        }
        return Page(v.title, body.plusNotices(v.notices), v.actions.map { button(it) })
    }

    fun event(i: Input): CorrectionsEvent? = when (i) {
        is Input.Typed -> name(i.key, FIELD)?.let { CorrectionsEvent.SetHouseholdField(it, i.value) }
        is Input.Chose -> name(i.key, PICK)?.let { CorrectionsEvent.SetHouseholdField(it, i.code) }
        is Input.Pressed -> when {
            i.key == ACTION + "confirm" -> CorrectionsEvent.Confirm
            i.key == ACTION + "cancel" -> CorrectionsEvent.Cancel
            i.key == ACTION + "request_erasure" -> CorrectionsEvent.RequestErasure(null)
            i.key.startsWith(MEMBER) -> {
                val (action, member) = i.key.removePrefix(MEMBER).split(":", limit = 2)
                when (action) {
                    "remove" -> CorrectionsEvent.RemoveMember(member)
                    "withdraw_consent" -> CorrectionsEvent.WithdrawConsent(member)
                    "request_erasure" -> CorrectionsEvent.RequestErasure(member)
                    else -> null
                }
            }
            else -> null
        }
        else -> null
    }
}

object CardUi {
    fun page(v: CardView, c: Caption): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Text("address", v.addressLine)
        v.plusCode?.let { body += Widget.Text("plus_code", it, Tone.TITLE) }
        v.officialCode?.let { body += Widget.Text("official_code", it) }
        body += Widget.Qr("qr", v.qr.modules)
        v.members.forEachIndexed { i, m ->
            body += Widget.Text("member:$i", m.name, Tone.TITLE)
            body += Widget.Text("progress:$i", m.progressLine)
            body += texts(m.nextSteps, "next:$i")
            body += texts(m.cautions, "caution:$i", Tone.WARNING)
        }
        body += texts(v.generalCautions, "general", Tone.WARNING)
        body += listOf("members", "visit", "conflicts", "corrections", "hand_household").map { Widget.Button("open:$it", c(it), true) }
        return Page(v.title, body, listOf(Widget.Button("share", c("share"), true)))
    }
}

object SyncUi {
    fun page(v: SyncStatusView, c: Caption): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Text("headline", v.headline, toneOf(v.severity))
        if (v.running) body += Widget.Busy("busy")
        body += texts(v.details, "detail")
        body += Widget.Text("pending", v.pendingLine)
        v.refused.forEachIndexed { i, r -> body += Widget.Item("refused:$i", r.household, listOf(r.reason)) }
        val bar = if (v.running) {
            listOf(Widget.Button("cancel", c("cancel_sync"), true))
        } else {
            listOf(button(v.sync), Widget.Button("open:bundles", c("bundles"), true))
        }
        return Page(c("sync"), body, bar)
    }
}

/**
 * Sync without coverage (the core's BundleScreen): what waits and whether it can be sealed, the
 * bundles sealed here and carried for others with their state, and the core's sentence about the
 * last file sealed or opened. After answers were shared, "confirm:handed" drops them here.
 */
object BundlesUi {
    /**
     * [handing]: the household being handed to another phone (opened from its card): the area's
     * phones the core lists, one button each.
     */
    fun page(v: BundlesView, c: Caption, said: OpenedView? = null, sharedAnswers: Int = 0, handing: Boolean = false): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Text("headline", v.headline)
        body += texts(v.details, "detail")
        said?.let { body += Widget.Text("said", it.sentence, toneOf(it.severity)) }
        if (handing && v.phones.isNotEmpty()) {
            body += Widget.Text("hand_to", c("hand_to"), Tone.TITLE)
            body += v.phones.map { Widget.Button(HAND + it.code, it.label, true) }
        }
        if (v.sealed.isNotEmpty()) body += Widget.Text("sealed", c("sealed_bundles"))
        body += v.sealed.map { row("sealed:", it) }
        if (v.carried.isNotEmpty()) body += Widget.Text("carried", c("carried_bundles"))
        body += v.carried.map { row("carried:", it) }
        val bar = mutableListOf<Widget>(button(v.seal), button(v.open), button(v.handOver))
        if (sharedAnswers > 0) bar += Widget.Button("confirm:handed", c("confirm_handed"), true)
        return Page(c("bundles"), body, bar)
    }

    private fun row(prefix: String, r: BundleRowView) = Widget.Item(prefix + r.id, r.title, listOf(r.state))

    /** A phone button's key: this prefix and the phone's device id. */
    const val HAND = "hand:"
}

object VisitUi {
    fun page(v: VisitView): Page {
        val body = mutableListOf<Widget>()
        body += Widget.Choice(PICK + "outcome", "", options(v.outcomes))
        body += field(v.followUp)
        body += field(v.note)
        body += notices(v.notices)
        body += texts(v.history, "history")
        return Page(v.title, body, listOf(button(v.save)))
    }

    fun event(i: Input): VisitEvent? = when {
        i is Input.Chose && i.key == PICK + "outcome" -> VisitEvent.ChooseOutcome(i.code)
        i is Input.Typed && i.key == FIELD + "follow_up_on" -> VisitEvent.FollowUpTyped(i.value)
        i is Input.Typed && i.key == FIELD + "note" -> VisitEvent.NoteTyped(i.value)
        i is Input.Pressed && i.key == ACTION + "save" -> VisitEvent.Save
        else -> null
    }
}
