package vn.gocua.app.logic

import vn.gocua.core.ChecklistEntry
import vn.gocua.core.ChecklistItem
import vn.gocua.core.ChecklistItemInfo
import vn.gocua.core.ChecklistStatus
import vn.gocua.core.ChecklistStatusInfo
import vn.gocua.core.OnboardingGuide

/**
 * A member's checklist with guided onboarding. Items, statuses, their labels and the guides come
 * from the core (`checklistItems`, `checklistStatuses`, `onboardingGuide`); the member's entries
 * from `household(...).members`. The screen saves with `setChecklist` (the core checks that a
 * failed item has a reason).
 */
class ChecklistModel(
    private val t: Texts,
    private val items: List<ChecklistItemInfo>,
    private val statuses: List<ChecklistStatusInfo>,
) {
    data class Row(val item: ChecklistItem, val label: String, val status: ChecklistStatus, val statusLabel: String, val reason: String?, val fiveSkills: Boolean)

    data class Button(val status: ChecklistStatus, val label: String, val selected: Boolean)

    private var entries: Map<ChecklistItem, ChecklistEntry> = emptyMap()
    var open: ChecklistItem? = null
        private set
    var guide: OnboardingGuide? = null
        private set
    /** The status chosen on the open item, before saving. */
    var chosen: ChecklistStatus? = null
        private set
    var reason = ""

    fun load(memberEntries: List<ChecklistEntry>) {
        entries = memberEntries.associateBy { it.item }
    }

    fun status(item: ChecklistItem): ChecklistStatus = entries[item]?.status ?: ChecklistStatus.NOT_ASKED

    private fun statusLabel(s: ChecklistStatus) = statuses.firstOrNull { it.status == s }?.label ?: s.name

    fun rows(): List<Row> = items.map { i ->
        val e = entries[i.item]
        Row(i.item, i.label, status(i.item), statusLabel(status(i.item)), e?.reason, i.fiveSkills)
    }

    /** "5 skills: 3/5 · achieved: 6/17" for the header. */
    fun progress(): String {
        val achieved = statuses.filter { it.achieved }.map { it.status }.toSet()
        val five = items.filter { it.fiveSkills }
        val fiveDone = five.count { status(it.item) in achieved }
        val allDone = items.count { status(it.item) in achieved }
        return t.pick("5 kỹ năng: $fiveDone/${five.size} · đạt: $allDone/${items.size}", "5 skills: $fiveDone/${five.size} · achieved: $allDone/${items.size}")
    }

    fun openItem(item: ChecklistItem, guide: OnboardingGuide) {
        open = item
        this.guide = guide
        chosen = status(item)
        reason = entries[item]?.reason ?: ""
    }

    fun close() { open = null; guide = null; chosen = null; reason = "" }

    /** The status buttons of the open item. For VNeID level 2 "referred" reads "referred to commune police". */
    fun buttons(): List<Button> {
        val item = open ?: return emptyList()
        return statuses.map { s ->
            val label = if (item == ChecklistItem.VNEID_LEVEL2 && s.status == ChecklistStatus.REFERRED) {
                t.pick("Đã chuyển công an xã", "Referred to commune police")
            } else s.label
            Button(s.status, label, s.status == chosen)
        }
    }

    fun choose(status: ChecklistStatus) { chosen = status }

    /** A failed item asks why (the core refuses a failed item without a reason). */
    val needsReason get() = chosen == ChecklistStatus.FAILED

    val canSave get() = open != null && chosen != null && (!needsReason || reason.isNotBlank())

    fun reasonToSave(): String? = if (needsReason) reason.trim() else reason.trim().ifEmpty { null }

    fun steps(): List<String> = guide?.steps?.mapIndexed { i, s -> "${i + 1}. $s" } ?: emptyList()

    fun cautions(): List<String> = guide?.cautions?.map { "⚠ $it" } ?: emptyList()
}
