package vn.gocua.app.logic

import kotlin.math.roundToInt

/**
 * Formatting that is the shell's own: how things are shown. The rules (masking, when a follow-up
 * is due, a progress's percent) are the core's, called here so that no shell writes them again.
 */
object Format {
    /** An ID number as a list may show it: the core's mask (the last 4 digits). */
    fun maskIdNumber(id: String?): String = vn.gocua.core.maskIdNumber(id)

    /** A phone number in a list: the core's mask (the last 3 digits). */
    fun maskPhone(phone: String?): String = vn.gocua.core.maskPhone(phone)

    /** GPS accuracy in whole metres (`±8 m`). */
    fun accuracy(metres: Double, t: Texts): String {
        val m = if (metres.isFinite() && metres >= 0) metres.roundToInt() else 0
        return t.pick("Độ chính xác ±$m m", "Accuracy ±$m m")
    }

    /** Coordinates for a volunteer to read (5 decimals, about a metre). */
    fun coordinates(lat: Double, lon: Double): String =
        String.format(java.util.Locale.ROOT, "%.5f, %.5f", lat, lon)

    /** Percent of a progress, 0..100 (the core's rule); 0 when the total is unknown. */
    fun percent(done: Long, total: Long): Int =
        vn.gocua.core.progressPercent(done.coerceAtLeast(0).toULong(), total.coerceAtLeast(0).toULong()).toInt()

    /** Whether a list row's follow-up date (`YYYY-MM-DD`) is due on `today` (the core's rule). */
    fun isDue(followUpOn: String?, today: String): Boolean = vn.gocua.core.followUpIsDue(followUpOn, today)

    /** A date as the core takes it (`YYYY-MM-DD`); month 1..12. */
    fun isoDate(year: Int, month: Int, day: Int): String =
        String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", year, month, day)

    /** A household id shortened for a title when the head's name is unknown. */
    fun shortId(id: String): String = if (id.length <= 6) id else "…" + id.takeLast(6)
}
