package vn.gocua.app.logic

import vn.gocua.core.Language

/**
 * The words the shell's own logic builds (sentences with numbers in them), in the chosen language.
 * Static labels live in res/values (Vietnamese) and res/values-en; labels of coded values
 * (statuses, relations, ...) come from the core. Plain Kotlin: no android.* here.
 */
class Texts(val lang: Language) {
    fun pick(vi: String, en: String): String = if (lang == Language.EN) en else vi

    fun households(n: Int) = pick("$n hộ", if (n == 1) "1 household" else "$n households")
    fun members(n: Int) = pick("$n người", if (n == 1) "1 member" else "$n members")
    fun visits(n: Int) = pick("$n lần thăm", if (n == 1) "1 visit" else "$n visits")
}
