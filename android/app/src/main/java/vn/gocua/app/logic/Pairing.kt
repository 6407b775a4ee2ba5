package vn.gocua.app.logic

/**
 * What the coordinator's pairing QR code carries (`GOCUA-PAIR:1:<code>:<hub url>`, written by the
 * hub's dashboard). The code itself is checked by the hub at enrolment, not here.
 */
data class PairingQr(val code: String, val hubUrl: String) {
    companion object {
        private const val PREFIX = "GOCUA-PAIR:1:"

        /** The pairing in a scanned text, or `null` if the text is not a pairing QR code. */
        fun parse(text: String): PairingQr? {
            val s = text.trim()
            if (!s.startsWith(PREFIX)) return null
            val rest = s.substring(PREFIX.length)
            val colon = rest.indexOf(':')
            if (colon <= 0) return null
            val code = rest.substring(0, colon)
            val url = rest.substring(colon + 1)
            if (!(url.startsWith("https://") || url.startsWith("http://"))) return null
            return PairingQr(code, url)
        }
    }
}
