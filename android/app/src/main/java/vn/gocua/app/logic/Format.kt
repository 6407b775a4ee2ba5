package vn.gocua.app.logic

import kotlin.math.roundToInt

/** Formatting that is the shell's own: no rule of the register here, only how things are shown. */
object Format {
    private const val MASK = '•'

    /**
     * An ID number as a list may show it: every character hidden but the last three
     * (`•••••••••345`). A list never shows a full ID number; `null` or blank gives "".
     */
    fun maskIdNumber(id: String?): String {
        val digits = id?.filter { !it.isWhitespace() } ?: return ""
        if (digits.isEmpty()) return ""
        if (digits.length <= 3) return MASK.toString().repeat(digits.length)
        return MASK.toString().repeat(digits.length - 3) + digits.takeLast(3)
    }

    /** A phone number in a list: the last three digits only. */
    fun maskPhone(phone: String?): String = maskIdNumber(phone)

    /** GPS accuracy in whole metres (`±8 m`). */
    fun accuracy(metres: Double, t: Texts): String {
        val m = if (metres.isFinite() && metres >= 0) metres.roundToInt() else 0
        return t.pick("Độ chính xác ±$m m", "Accuracy ±$m m")
    }

    /** Coordinates for a volunteer to read (5 decimals, about a metre). */
    fun coordinates(lat: Double, lon: Double): String =
        String.format(java.util.Locale.ROOT, "%.5f, %.5f", lat, lon)

    /** Percent of a progress, 0..100; 0 when the total is unknown. */
    fun percent(done: Long, total: Long): Int =
        if (total <= 0) 0 else ((done.coerceIn(0, total) * 100) / total).toInt()

    /** Whether a follow-up date (`YYYY-MM-DD`) is due on `today` (`YYYY-MM-DD`). */
    fun isDue(followUpOn: String?, today: String): Boolean =
        followUpOn != null && followUpOn.length == 10 && followUpOn <= today

    /** A date as the core takes it (`YYYY-MM-DD`); month 1..12. */
    fun isoDate(year: Int, month: Int, day: Int): String =
        String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", year, month, day)

    /** A household id shortened for a title when the head's name is unknown. */
    fun shortId(id: String): String = if (id.length <= 6) id else "…" + id.takeLast(6)
}
