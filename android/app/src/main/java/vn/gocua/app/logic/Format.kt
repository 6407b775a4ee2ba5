package vn.gocua.app.logic

/**
 * Formatting that is the shell's own: how things are shown. The rules (masking, when a follow-up
 * is due, a progress's percent) are the core's, called here so that no shell writes them again.
 */
object Format {
    /** An ID number as a list may show it: the core's mask (the last 4 digits). */
    fun maskIdNumber(id: String?): String = vn.gocua.core.maskIdNumber(id)

    /** A phone number in a list: the core's mask (the last 3 digits). */
    fun maskPhone(phone: String?): String = vn.gocua.core.maskPhone(phone)

    /** GPS accuracy in whole metres (`±8 m`), in the core's words. */
    fun accuracy(metres: Double, t: Texts): String = vn.gocua.core.accuracyText(metres, t.lang)

    /** Coordinates for a volunteer to read (5 decimals, the core's form). */
    fun coordinates(lat: Double, lon: Double): String = vn.gocua.core.coordinatesText(lat, lon)

    /** A position as the registration shows it (the core's sentence). */
    fun position(lat: Double, lon: Double, accuracyM: Double, pinned: Boolean, t: Texts): String =
        vn.gocua.core.positionText(lat, lon, accuracyM, pinned, t.lang)

    /** Percent of a progress, 0..100 (the core's rule); 0 when the total is unknown. */
    fun percent(done: Long, total: Long): Int =
        vn.gocua.core.progressPercent(done.coerceAtLeast(0).toULong(), total.coerceAtLeast(0).toULong()).toInt()

    /** Whether a list row's follow-up date (`YYYY-MM-DD`) is due on `today` (the core's rule). */
    fun isDue(followUpOn: String?, today: String): Boolean = vn.gocua.core.followUpIsDue(followUpOn, today)

    /** A date as the core takes it (`YYYY-MM-DD`); month 1..12. */
    fun isoDate(year: Int, month: Int, day: Int): String =
        String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", year, month, day)

    /** An id shortened for a list or a title (the core's rule, as the dashboard shows it). */
    fun shortId(id: String): String = vn.gocua.core.shortId(id)
}
