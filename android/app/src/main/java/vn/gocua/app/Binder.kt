package vn.gocua.app

import android.app.AlertDialog
import android.content.Context
import android.graphics.Bitmap
import android.text.Editable
import android.text.TextWatcher
import android.view.View
import android.view.inputmethod.EditorInfo
import android.widget.Button
import android.widget.CheckBox
import android.widget.EditText
import android.widget.ImageView
import android.widget.LinearLayout
import android.widget.ProgressBar
import android.widget.TextView
import vn.gocua.app.logic.FieldEcho
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.Line
import vn.gocua.app.logic.QrImage
import vn.gocua.app.logic.Tone
import vn.gocua.app.logic.Widget
import vn.gocua.app.logic.Widgets

/**
 * Draws widgets (logic/Widgets.kt) into a LinearLayout and reports what the volunteer does as
 * [Input]. Views are kept by the widget's key: a widget equal to the one drawn before is not
 * touched, a changed one is updated in place, and a view is moved only when the keys around it
 * change. A field that has the focus never gets its text replaced (the keyboard stays with the
 * typist when a GPS fix or a message arrives).
 */
class Binder(private val context: Context, private val into: LinearLayout, private val bar: Boolean = false, private val on: (Input) -> Unit) {
    private var drawn: List<Widget> = emptyList()
    private val views = HashMap<String, View>()
    private var binding = false
    private val echo = FieldEcho()

    fun bind(widgets: List<Widget>) {
        binding = true
        try {
            val changed = Widgets.changed(drawn, widgets).toSet()
            val keep = widgets.map { it.key }.toSet()
            views.keys.retainAll(keep)
            var replaced = false
            widgets.forEach { w ->
                val old = views[w.key]
                if (old == null || old.tag != w.javaClass) {
                    views[w.key] = make(w).also { it.tag = w.javaClass; update(it, w) }
                    replaced = true
                } else if (w.key in changed) update(old, w)
            }
            if (replaced || !Widgets.sameLayout(drawn, widgets) || into.childCount != widgets.size) place(widgets)
            drawn = widgets
        } finally {
            binding = false
        }
    }

    /**
     * Puts each widget's view at its index, moving only those that are not there already (a field
     * above a list of search results keeps its focus while the results change), then drops the rest.
     */
    private fun place(widgets: List<Widget>) {
        widgets.forEachIndexed { i, w ->
            val v = views.getValue(w.key)
            if (into.getChildAt(i) === v) return@forEachIndexed
            (v.parent as? android.view.ViewGroup)?.removeView(v)
            into.addView(v, i, params())
        }
        while (into.childCount > widgets.size) into.removeViewAt(into.childCount - 1)
    }

    private fun params() = if (bar) LinearLayout.LayoutParams(0, LinearLayout.LayoutParams.WRAP_CONTENT, 1f)
    else LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, LinearLayout.LayoutParams.WRAP_CONTENT)

    private fun emit(i: Input) {
        if (binding) return
        if (i is Input.Typed) echo.sent(i.key, i.value)
        on(i)
    }

    private fun make(w: Widget): View = when (w) {
        is Widget.Text -> TextView(context).apply { setPadding(0, 8, 0, 8) }
        is Widget.Field -> vertical().apply {
            addView(TextView(context))
            addView(EditText(context).apply {
                addTextChangedListener(object : TextWatcher {
                    override fun beforeTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                    override fun onTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                    override fun afterTextChanged(s: Editable?) {
                        val field = current(w.key) as? Widget.Field ?: return
                        if (!field.commit) emit(Input.Typed(w.key, s?.toString() ?: ""))
                    }
                })
                setOnFocusChangeListener { v, focused ->
                    val field = current(w.key) as? Widget.Field ?: return@setOnFocusChangeListener
                    val text = (v as EditText).text.toString()
                    if (!focused && field.commit && text != field.value) emit(Input.Typed(w.key, text))
                }
                setOnEditorActionListener { v, action, _ ->
                    val field = current(w.key) as? Widget.Field
                    if (field != null && field.commit && action == EditorInfo.IME_ACTION_DONE) emit(Input.Typed(w.key, v.text.toString()))
                    false
                }
            })
            addView(vertical())
        }
        is Widget.Choice -> vertical()
        is Widget.Toggle -> CheckBox(context).apply {
            setOnCheckedChangeListener { _, checked -> emit(Input.Toggled(w.key, checked)) }
        }
        is Widget.Button -> Button(context).apply {
            setOnClickListener {
                val b = current(w.key) as? Widget.Button ?: return@setOnClickListener
                val question = b.confirm
                if (question == null) emit(Input.Pressed(w.key))
                else AlertDialog.Builder(context).setMessage(question)
                    .setPositiveButton(R.string.ok) { _, _ -> emit(Input.Pressed(w.key)) }
                    .setNegativeButton(R.string.cancel, null).show()
            }
        }
        is Widget.Item -> vertical().apply {
            setPadding(0, 12, 0, 12)
            isClickable = true
            setOnClickListener { emit(Input.Pressed(w.key)) }
        }
        is Widget.Qr -> ImageView(context).apply { adjustViewBounds = true; scaleType = ImageView.ScaleType.FIT_CENTER }
        is Widget.Busy -> ProgressBar(context, null, android.R.attr.progressBarStyleHorizontal).apply { isIndeterminate = true }
    }

    private fun current(key: String): Widget? = drawn.firstOrNull { it.key == key }

    private fun update(v: View, w: Widget) {
        when (w) {
            is Widget.Text -> (v as TextView).apply { text = w.text; style(this, w.tone) }
            is Widget.Field -> {
                val box = v as LinearLayout
                (box.getChildAt(0) as TextView).text = if (w.required) w.label + " *" else w.label
                val edit = box.getChildAt(1) as EditText
                edit.hint = w.hint
                edit.isEnabled = w.enabled
                if (w.commit) edit.imeOptions = EditorInfo.IME_ACTION_DONE
                if (echo.draw(w.key, edit.text.toString(), w.value)) {
                    edit.setText(w.value)
                    edit.setSelection(w.value.length)
                }
                lines(box.getChildAt(2) as LinearLayout, w.messages)
            }
            is Widget.Choice -> {
                val box = v as LinearLayout
                box.removeAllViews()
                if (w.label.isNotEmpty()) box.addView(TextView(context).apply { text = if (w.required) w.label + " *" else w.label })
                w.options.forEach { o ->
                    box.addView(Button(context).apply {
                        text = if (o.selected) "✓ " + o.label else o.label
                        isSelected = o.selected
                        isEnabled = w.enabled
                        setOnClickListener { emit(Input.Chose(w.key, o.code)) }
                    })
                }
                box.addView(vertical().also { lines(it, w.messages) })
            }
            is Widget.Toggle -> (v as CheckBox).apply { text = w.label; if (isChecked != w.checked) isChecked = w.checked }
            is Widget.Button -> (v as Button).apply { text = w.label; isEnabled = w.enabled }
            is Widget.Item -> {
                val box = v as LinearLayout
                box.removeAllViews()
                box.addView(TextView(context).apply { text = w.title; style(this, Tone.TITLE) })
                if (w.mark.isNotEmpty()) box.addView(TextView(context).apply { text = w.mark; style(this, Tone.WARNING) })
                w.lines.forEach { l -> box.addView(TextView(context).apply { text = l }) }
            }
            is Widget.Qr -> (v as ImageView).setImageBitmap(qrBitmap(w.modules))
            is Widget.Busy -> Unit
        }
    }

    private fun lines(box: LinearLayout, list: List<Line>) {
        box.removeAllViews()
        list.forEach { l -> box.addView(TextView(context).apply { text = l.text; style(this, l.tone) }) }
    }

    private fun vertical() = LinearLayout(context).apply { orientation = LinearLayout.VERTICAL }

    companion object {
        fun style(t: TextView, tone: Tone) {
            when (tone) {
                Tone.TITLE -> t.setTextAppearance(R.style.Gocua_Title)
                Tone.ERROR -> t.setTextAppearance(R.style.Gocua_Message)
                Tone.WARNING -> t.setTextAppearance(R.style.Gocua_Warning)
                Tone.INFO, Tone.PLAIN -> t.setTextAppearance(R.style.Gocua_Body)
            }
        }

        /** The card's QR code as a bitmap (logic/QrImage), scaled up without smoothing. */
        fun qrBitmap(modules: List<List<Boolean>>): Bitmap {
            val img = QrImage(modules)
            val b = Bitmap.createBitmap(img.pixels, img.side, img.side, Bitmap.Config.ARGB_8888)
            return Bitmap.createScaledBitmap(b, img.side * 8, img.side * 8, false)
        }
    }
}
