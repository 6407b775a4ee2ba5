package vn.gocua.app.logic

import vn.gocua.core.Conflict
import vn.gocua.core.ConflictValue

/**
 * Review of the conflicts of a household: a field written on two phones, both values side by
 * side, the volunteer chooses one (`resolveConflict(householdId, field, value.value)`).
 */
class ConflictModel(private val t: Texts, private val memberNames: Map<String, String>) {
    data class Side(val value: String, val who: String)
    data class Card(val index: Int, val title: String, val left: Side, val right: Side, val more: Int)

    private var conflicts: List<Conflict> = emptyList()

    fun load(list: List<Conflict>) { conflicts = list }

    val count get() = conflicts.size

    fun fieldTitle(c: Conflict): String {
        val field = fieldName(c.field.key)
        val whose = c.field.memberId?.let { memberNames[it] }
        return if (whose != null) "$field · $whose" else field
    }

    private fun fieldName(key: String): String = when (key) {
        "full_name" -> t.pick("Họ tên", "Full name")
        "birth" -> t.pick("Ngày sinh", "Birth date")
        "phone" -> t.pick("Số điện thoại", "Phone")
        "id_number" -> t.pick("Số định danh", "ID number")
        "street" -> t.pick("Đường", "Street")
        "alley" -> t.pick("Ngõ/hẻm", "Alley")
        "house_number" -> t.pick("Số nhà", "House number")
        "notes" -> t.pick("Ghi chú", "Notes")
        "relation" -> t.pick("Quan hệ với chủ hộ", "Relation to head")
        "gender" -> t.pick("Giới tính", "Gender")
        else -> key
    }

    private fun side(v: ConflictValue, idNumber: Boolean): Side {
        val shown = if (idNumber) Format.maskIdNumber(v.value) else v.value
        val who = listOfNotNull(v.volunteerId, v.deviceId?.let { Format.shortId(it) }).joinToString(" · ")
        return Side(shown.ifEmpty { t.pick("(trống)", "(empty)") }, who)
    }

    /**
     * One card per conflict: the first two values side by side (a field rarely has more; [Card.more]
     * says how many others there are). An ID number stays masked here too: choose by who wrote it.
     */
    fun cards(): List<Card> = conflicts.mapIndexedNotNull { i, c ->
        if (c.values.size < 2) return@mapIndexedNotNull null
        val id = c.field.key == "id_number"
        Card(i, fieldTitle(c), side(c.values[0], id), side(c.values[1], id), c.values.size - 2)
    }

    /** The stored value to pass back to the core for the chosen side (0 left, 1 right). */
    fun choice(card: Int, side: Int): Pair<Conflict, String> {
        val c = conflicts[card]
        return c to c.values[side].value
    }

    fun emptyText() = t.pick("Không có xung đột cần xem.", "No conflicts to review.")
}
