package vn.gocua.app.logic

import java.net.URLDecoder
import java.net.URLEncoder
import vn.gocua.core.HouseholdFormEvent

/**
 * A half-filled household form, kept when the volunteer leaves the app: the `Set` events the
 * shell sent (text typed, codes picked), in order, written one a line to the app's no-backup files
 * and replayed into a new form screen on return. Nothing is decided here: the core's form model
 * makes of the replayed events what it made of them the first time. (A GPS fix is not kept: an
 * old fix would be replayed as if it were new; the volunteer takes it again.)
 */
class FormDraft(events: List<HouseholdFormEvent> = emptyList()) {
    private val list = events.toMutableList()
    val events: List<HouseholdFormEvent> get() = list

    /** Remembers an event sent to the form; typing a field letter by letter keeps only its last value. */
    fun record(e: HouseholdFormEvent) {
        when (e) {
            is HouseholdFormEvent.Set -> {
                val last = list.lastOrNull()
                if (last is HouseholdFormEvent.Set && last.key == e.key) list[list.size - 1] = e else list += e
            }
            else -> Unit
        }
    }

    fun isEmpty() = list.isEmpty()

    /** One event a line: `set <key> <value>`, each part URL-encoded. */
    fun encode(): String = list.joinToString("\n") { e ->
        if (e is HouseholdFormEvent.Set) "set ${enc(e.key)} ${enc(e.value)}" else ""
    }

    /** Sends every event to [send] (the form screen's `send`), in the order they were sent. */
    fun <V> replay(send: (HouseholdFormEvent) -> V): V? {
        var last: V? = null
        list.forEach { last = send(it) }
        return last
    }

    companion object {
        /** A draft read back; lines it does not know (a newer or damaged file) are skipped. */
        fun decode(text: String): FormDraft = FormDraft(
            text.lineSequence().mapNotNull { line ->
                val p = line.split(' ')
                when {
                    p.size == 3 && p[0] == "set" -> HouseholdFormEvent.Set(dec(p[1]), dec(p[2]))
                    // A draft written before picks were `Set`s: `hamlet <id>`.
                    p.size == 2 && p[0] == "hamlet" -> HouseholdFormEvent.Set("hamlet", dec(p[1]))
                    else -> null
                }
            }.toList(),
        )

        private fun enc(s: String) = URLEncoder.encode(s, "UTF-8")
        private fun dec(s: String) = try { URLDecoder.decode(s, "UTF-8") } catch (e: IllegalArgumentException) { "" }
    }
}

/**
 * The screen objects of the core, kept by the application so that they survive an Activity being
 * recreated (rotation, language): one per screen and household or member, made on first use.
 */
class ScreenStore {
    private val screens = HashMap<String, Any>()

    @Synchronized
    @Suppress("UNCHECKED_CAST")
    fun <T : Any> get(key: String, make: () -> T): T = screens.getOrPut(key, make) as T

    @Synchronized
    fun put(key: String, screen: Any) { drop(key); screens[key] = screen }

    /** Forgets a screen (finished, or its household gone), releasing the core's object. */
    @Synchronized
    fun drop(key: String) { (screens.remove(key) as? AutoCloseable)?.close() }

    /** Forgets every screen but those [keep] names (the language changed, or a new register). */
    @Synchronized
    fun clear(keep: (String) -> Boolean = { false }) { screens.keys.filterNot(keep).forEach(::drop) }

    @Synchronized
    fun has(key: String) = screens.containsKey(key)
}
