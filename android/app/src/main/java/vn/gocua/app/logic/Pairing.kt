package vn.gocua.app.logic

import java.net.URI
import java.net.URLDecoder

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
        private const val PREFIX = "GOCUA-PAIR:1:"
        const val SCHEME = "gocua"
        const val HOST = "pair"

        /** The pairing in a scanned or pasted text or link, or `null` if it is not one. */
        fun parse(text: String): PairingQr? {
            val s = text.trim()
            if (s.regionMatches(0, "$SCHEME://", 0, SCHEME.length + 3, ignoreCase = true)) return parseLink(s)
            if (!s.startsWith(PREFIX)) return null
            val rest = s.substring(PREFIX.length)
            val colon = rest.indexOf(':')
            if (colon <= 0) return null
            return of(rest.substring(0, colon), rest.substring(colon + 1))
        }

        /** `gocua://pair?code=ABCD-EFGH-JK&hub=https%3A%2F%2Fhub.example` (parameters in any order). */
        fun parseLink(link: String): PairingQr? {
            val uri = try { URI(link.trim()) } catch (e: Exception) { return null }
            if (!SCHEME.equals(uri.scheme, ignoreCase = true) || !HOST.equals(uri.host, ignoreCase = true)) return null
            val query = uri.rawQuery ?: return null
            val params = query.split('&').mapNotNull { p ->
                val eq = p.indexOf('=')
                if (eq <= 0) null else p.substring(0, eq) to decode(p.substring(eq + 1))
            }.toMap()
            return of(params["code"] ?: return null, params["hub"] ?: return null)
        }

        /** The link form of a pairing (what a QR code for camera apps should carry). */
        fun link(p: PairingQr): String =
            "$SCHEME://$HOST?code=${encode(p.code)}&hub=${encode(p.hubUrl)}"

        private fun of(code: String, url: String): PairingQr? {
            val c = code.trim()
            val u = url.trim()
            if (c.isEmpty() || c.any { it.isWhitespace() }) return null
            if (!(u.startsWith("https://") || u.startsWith("http://"))) return null
            return PairingQr(c, u)
        }

        private fun decode(s: String): String? = try { URLDecoder.decode(s, "UTF-8") } catch (e: Exception) { null }
        private fun encode(s: String): String = java.net.URLEncoder.encode(s, "UTF-8")
    }
}
