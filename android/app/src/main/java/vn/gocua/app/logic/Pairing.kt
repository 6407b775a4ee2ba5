package vn.gocua.app.logic

/**
 * What the coordinator's pairing QR code carries. Two forms are read:
 *  - the link `gocua://pair?code=<code>&hub=<hub url>` (URL-encoded): any camera app that reads
 *    QR codes offers to open it, and the app's intent filter (AndroidManifest.xml, EnrolActivity)
 *    receives it, so no scanner app is needed;
 *  - the text `GOCUA-PAIR:1:<code>:<hub url>` written by the hub's dashboard today (pasted, or
 *    typed field by field).
 * The code itself is checked by the hub at enrolment, not here.
 */
data class PairingQr(val code: String, val hubUrl: String) {
    companion object {
        const val SCHEME = "gocua"
        const val HOST = "pair"

        /**
         * The pairing in a scanned or pasted text or link (`gocua://pair?code=...&hub=...`, or
         * `GOCUA-PAIR:1:<code>:<hub>`), or `null` if it is not one: the core reads it
         * (`parsePairingPayload`, the one parser of the phones and the CLI).
         */
        fun parse(text: String): PairingQr? =
            vn.gocua.core.parsePairingPayload(text, vn.gocua.core.Language.VI).pairing
                ?.let { PairingQr(it.code, it.hubUrl) }

        /** The link form of a pairing (what a QR code for camera apps should carry). */
        fun link(p: PairingQr): String =
            "$SCHEME://$HOST?code=${encode(p.code)}&hub=${encode(p.hubUrl)}"

        private fun encode(s: String): String = java.net.URLEncoder.encode(s, "UTF-8")
    }
}
