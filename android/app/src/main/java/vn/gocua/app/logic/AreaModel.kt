package vn.gocua.app.logic

import vn.gocua.core.HouseholdSummary
import vn.gocua.core.SearchHit

/** One row of "my area". Never holds an ID number. */
data class HouseholdRow(
    val id: String,
    val title: String,
    val address: String,
    val progress: String,
    val plusCode: String?,
    val unsynced: Boolean,
    val followUpDue: Boolean,
    val conflicts: Int,
)

/**
 * "My area": the households of the volunteer's hamlets. Search is the core's (names without
 * diacritics, phone, ID number): the screen hands the core's hits here and the model keeps the
 * households they belong to. The follow-up filter keeps households whose follow-up date is due.
 */
class AreaModel(private val t: Texts, private val today: String) {
    private var all: List<HouseholdSummary> = emptyList()
    private var hamletNames: Map<String, String> = emptyMap()
    var query: String = ""
        private set
    private var matches: Set<String>? = null
    var followUpsOnly = false

    fun load(households: List<HouseholdSummary>, hamlets: Map<String, String>) {
        all = households
        hamletNames = hamlets
    }

    /** A query and the core's hits for it; a blank query clears the search. */
    fun onSearch(query: String, hits: List<SearchHit>) {
        this.query = query
        matches = if (query.isBlank()) null else hits.map { it.householdId }.toSet()
    }

    fun rows(): List<HouseholdRow> = all
        .filter { h -> matches?.contains(h.id) ?: true }
        .filter { h -> !followUpsOnly || Format.isDue(h.followUpOn, today) }
        .map { row(it) }

    fun row(h: HouseholdSummary): HouseholdRow {
        val parts = mutableListOf(t.members(h.memberCount.toInt()), t.visits(h.visitCount.toInt()))
        if (h.hasMemberWith5Skills) parts += t.pick("có người đủ 5 kỹ năng", "5 skills reached")
        val hamlet = hamletNames[h.hamletId]
        return HouseholdRow(
            id = h.id,
            title = h.headName ?: t.pick("Hộ ${Format.shortId(h.id)}", "Household ${Format.shortId(h.id)}"),
            address = listOfNotNull(h.address.takeIf { it.isNotBlank() }, hamlet).joinToString(" · "),
            progress = parts.joinToString(" · "),
            plusCode = h.plusCode,
            unsynced = h.pendingSync,
            followUpDue = Format.isDue(h.followUpOn, today),
            conflicts = h.conflictCount.toInt(),
        )
    }

    /** The header line: how many households, how many not synced, how many follow-ups due. */
    fun header(): String {
        val pending = all.count { it.pendingSync }
        val due = all.count { Format.isDue(it.followUpOn, today) }
        return t.pick(
            "${t.households(all.size)} · $pending chưa đồng bộ · $due cần thăm lại",
            "${t.households(all.size)} · $pending not synced · $due follow-ups due",
        )
    }

    fun emptyText(): String = when {
        all.isEmpty() -> t.pick("Chưa có hộ nào. Bấm “Đăng ký hộ” để bắt đầu.", "No households yet. Tap “Register a household” to start.")
        query.isNotBlank() -> t.pick("Không tìm thấy “$query”.", "Nothing found for “$query”.")
        else -> t.pick("Không có hộ cần thăm lại.", "No follow-ups due.")
    }
}
