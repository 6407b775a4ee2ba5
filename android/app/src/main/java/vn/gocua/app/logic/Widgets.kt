package vn.gocua.app.logic

import vn.gocua.core.ActionView
import vn.gocua.core.FieldKind
import vn.gocua.core.FieldView
import vn.gocua.core.Notice
import vn.gocua.core.NoticeLevel
import vn.gocua.core.OptionView

/**
 * What a screen draws, as plain data: the core's view states (FieldView, OptionView, ActionView,
 * Notice...) mapped to widgets, one by one and in order, without a word added. The Android binder
 * (Binder.kt) turns these into Views; the JVM tests read them. Plain Kotlin: no android.* here.
 *
 * Every widget has a stable [Widget.key] ("field:street", "action:save", "pick:hamlet"...), by
 * which the binder reuses its View from one view state to the next (a field being typed is never
 * rebuilt) and by which the user's input comes back ([Input]).
 */
enum class Tone { PLAIN, TITLE, INFO, WARNING, ERROR }

fun toneOf(level: NoticeLevel): Tone = when (level) {
    NoticeLevel.INFO -> Tone.INFO
    NoticeLevel.WARNING -> Tone.WARNING
    NoticeLevel.ERROR -> Tone.ERROR
}

/** A sentence of the core with how it is coloured. */
data class Line(val text: String, val tone: Tone)

fun lineOf(n: Notice) = Line(n.text, toneOf(n.severity))

data class Option(val code: String, val label: String, val selected: Boolean)

sealed class Widget {
    abstract val key: String

    data class Text(override val key: String, val text: String, val tone: Tone = Tone.PLAIN) : Widget()

    /** A text field with its messages beside it; [commit]: sent when the typing ends, not per key. */
    data class Field(
        override val key: String,
        val label: String,
        val value: String,
        val hint: String,
        val required: Boolean,
        val enabled: Boolean,
        val messages: List<Line>,
        val commit: Boolean = false,
    ) : Widget()

    /** A picker: one choice, or several ([multiple], each option toggled). */
    data class Choice(
        override val key: String,
        val label: String,
        val options: List<Option>,
        val multiple: Boolean = false,
        val required: Boolean = false,
        val enabled: Boolean = true,
        val messages: List<Line> = emptyList(),
    ) : Widget()

    data class Toggle(override val key: String, val label: String, val checked: Boolean) : Widget()

    /** A button; [confirm] is the question asked before it is sent (a destructive action). */
    data class Button(override val key: String, val label: String, val enabled: Boolean, val confirm: String? = null) : Widget()

    /** A row that opens something ([key] says what), with its lines under the title and the core's [mark] line beside it. */
    data class Item(override val key: String, val title: String, val lines: List<String>, val mark: String = "") : Widget()

    /** A QR code: dark = true, without the quiet zone (the drawing adds it). */
    data class Qr(override val key: String, val modules: List<List<Boolean>>) : Widget()

    /** A progress bar without a number (the numbers are in the core's headline). */
    data class Busy(override val key: String) : Widget()
}

/** What the volunteer did on a widget, by its key. */
sealed class Input {
    abstract val key: String
    data class Typed(override val key: String, val value: String) : Input()
    data class Chose(override val key: String, val code: String) : Input()
    data class Toggled(override val key: String, val checked: Boolean) : Input()
    data class Pressed(override val key: String) : Input()
}

object Widgets {
    const val FIELD = "field:"
    const val ACTION = "action:"
    const val PICK = "pick:"

    fun field(f: FieldView, commit: Boolean = false, prefix: String = FIELD) = Widget.Field(
        prefix + f.key, f.label, f.value, f.hint, f.required, f.enabled, f.messages.map(::lineOf), commit,
    )

    /**
     * A field drawn as the core's kind says, the same on every page: a text field; a picker of its
     * own options, with its label and messages; or a text field that searches, the options it found
     * under it. A pick comes back as `pick:<key>`.
     */
    fun fieldWidgets(f: FieldView, commit: Boolean = false): List<Widget> = when (f.kind) {
        FieldKind.TEXT -> listOf(field(f, commit))
        FieldKind.CHOICE -> listOf(
            Widget.Choice(PICK + f.key, f.label, options(f.options), required = f.required, enabled = f.enabled, messages = f.messages.map(::lineOf)),
        )
        FieldKind.SEARCH -> listOf<Widget>(field(f, commit)) +
            if (f.options.isEmpty()) emptyList() else listOf(Widget.Choice(PICK + f.key, "", options(f.options)))
    }

    fun options(list: List<OptionView>) = list.map { Option(it.code, it.label, it.selected) }

    fun choice(name: String, label: String, list: List<OptionView>, multiple: Boolean = false) =
        Widget.Choice(PICK + name, label, options(list), multiple)

    fun button(a: ActionView, confirm: String? = null) = Widget.Button(ACTION + a.id, a.label, a.enabled, confirm)

    fun notices(list: List<Notice>, prefix: String = "notice") =
        list.mapIndexed { i, n -> Widget.Text("$prefix:$i:${n.code}", n.text, toneOf(n.severity)) }

    fun texts(list: List<String>, prefix: String, tone: Tone = Tone.PLAIN) =
        list.mapIndexed { i, s -> Widget.Text("$prefix:$i", s, tone) }

    /** The key's name after its prefix ("field:street" → "street"), or null for another prefix. */
    fun name(key: String, prefix: String): String? = if (key.startsWith(prefix)) key.substring(prefix.length) else null

    /**
     * The keys whose widget changed between two renderings (or are new): what the binder redraws.
     * A widget equal to the last one drawn is left alone (a field being typed keeps its focus).
     */
    fun changed(old: List<Widget>, new: List<Widget>): List<String> {
        val before = old.associateBy { it.key }
        return new.filter { before[it.key] != it }.map { it.key }
    }

    /** Whether the keys are the same in the same order (the binder then updates in place). */
    fun sameLayout(old: List<Widget>, new: List<Widget>): Boolean = old.map { it.key } == new.map { it.key }
}

/**
 * The pixels of a QR code drawn from the core's module matrix (`QrView.modules`, dark = true): one
 * pixel a module, a white quiet zone of [QUIET] modules around it. Colours are ARGB ints, as
 * android.graphics.Bitmap takes them.
 */
class QrImage(modules: List<List<Boolean>>) {
    val side: Int = modules.size + 2 * QUIET
    val pixels: IntArray = IntArray(side * side) { WHITE }

    init {
        modules.forEachIndexed { y, row ->
            row.forEachIndexed { x, dark -> if (dark) pixels[(y + QUIET) * side + x + QUIET] = BLACK }
        }
    }

    fun dark(x: Int, y: Int) = pixels[y * side + x] == BLACK

    companion object {
        const val QUIET = 4
        const val WHITE = -1 // 0xFFFFFFFF
        const val BLACK = -0x1000000 // 0xFF000000
    }
}

/**
 * Whether a field's text is replaced by the core's value: not when the value only echoes something
 * typed and sent before (an answer overtaken by more typing: the cursor stays with the typist),
 * yes when the core changed it (cleared after a save, a pasted pairing read). Events are answered
 * in order, so once the text and the value agree, older answers are all in.
 */
class FieldEcho {
    private val sent = HashMap<String, MutableList<String>>()

    fun sent(key: String, value: String) { sent.getOrPut(key) { mutableListOf() }.add(value) }

    /** Whether to draw [value] into a field showing [text]. */
    fun draw(key: String, text: String, value: String): Boolean {
        if (text == value) { sent.remove(key); return false }
        if (sent[key]?.contains(value) == true) return false
        sent.remove(key)
        return true
    }
}
