package vn.gocua.app

import android.app.Activity
import android.app.AlertDialog
import android.app.KeyguardManager
import android.content.Intent
import android.os.Bundle
import android.text.Editable
import android.text.InputType
import android.text.TextWatcher
import android.view.View
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.TextView
import vn.gocua.app.logic.AppLock
import vn.gocua.app.logic.Errors
import vn.gocua.core.GocuaException

/**
 * The frame of every screen (res/layout/activity_screen.xml) and small builders of large,
 * high-contrast widgets. Screens redraw their body from their model with [render].
 */
abstract class Screen : Activity() {
    protected val app get() = application as GocuaApp
    protected val t get() = app.texts
    protected lateinit var body: LinearLayout
    protected lateinit var actions: LinearLayout

    /** The frame: a scrolling body (activity_screen), or a fixed body above a list (activity_list). */
    protected open val layoutId: Int get() = R.layout.activity_screen

    override fun onCreate(savedInstanceState: Bundle?) {
        app.applyLocale(this)
        super.onCreate(savedInstanceState)
        setContentView(layoutId)
        body = findViewById(R.id.body) as LinearLayout
        actions = findViewById(R.id.actions) as LinearLayout
        (findViewById(R.id.language) as Button).setOnClickListener {
            app.switchLanguage()
            recreate()
        }
    }

    /**
     * Leaving a screen: a one-off sync job runs as soon as there is a network. It never stops a
     * sync already running or scheduled (SyncJobService.soon).
     */
    override fun onPause() {
        super.onPause()
        if (app.enrolled) SyncJobService.soon(this)
    }

    protected fun setScreenTitle(text: String) { (findViewById(R.id.title) as TextView).text = text }

    abstract fun render()

    protected fun clear() { body.removeAllViews(); actions.removeAllViews() }

    protected fun text(s: String, style: Int = 0): TextView = TextView(this).apply {
        text = s
        if (style != 0) setTextAppearance(style)
        setPadding(0, 8, 0, 8)
        body.addView(this)
    }

    protected fun messages(list: List<String>) { list.forEach { text(it, R.style.Gocua_Message) } }

    protected fun button(label: String, into: LinearLayout = body, enabled: Boolean = true, onClick: () -> Unit): Button =
        Button(this).apply {
            text = label
            isEnabled = enabled
            setOnClickListener { onClick() }
            into.addView(this, LinearLayout.LayoutParams(
                if (into === actions) 0 else LinearLayout.LayoutParams.MATCH_PARENT,
                LinearLayout.LayoutParams.WRAP_CONTENT, if (into === actions) 1f else 0f))
        }

    protected fun action(label: String, enabled: Boolean = true, onClick: () -> Unit) = button(label, actions, enabled, onClick)

    protected fun edit(hint: String, value: String, type: Int = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_CAP_WORDS, onChange: (String) -> Unit): EditText =
        EditText(this).apply {
            this.hint = hint
            setText(value)
            inputType = type
            addTextChangedListener(object : TextWatcher {
                override fun beforeTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                override fun onTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                override fun afterTextChanged(s: Editable?) { onChange(s?.toString() ?: "") }
            })
            body.addView(this)
        }

    protected fun row(): LinearLayout = LinearLayout(this).apply {
        orientation = LinearLayout.HORIZONTAL
        body.addView(this)
    }

    protected fun choice(label: String, selected: Boolean, into: LinearLayout, onClick: () -> Unit) =
        Button(this).apply {
            text = label
            isSelected = selected
            setOnClickListener { onClick() }
            into.addView(this, LinearLayout.LayoutParams(0, LinearLayout.LayoutParams.WRAP_CONTENT, 1f))
        }

    /** Runs a core call off the UI thread; a failure is shown in words (never with personal data). */
    protected fun <T> core(work: () -> T, done: (T) -> Unit) {
        app.background(work) { r ->
            r.onSuccess(done).onFailure { showError(it) }
        }
    }

    protected fun showError(e: Throwable) {
        if (e is GocuaException.KeyStore) {
            val failure = app.keys.lastFailure
            if (AppLock.asksForUnlock(failure) && askForScreenLock()) return
            if (failure == AppLock.KeyFailure.KEY_INVALIDATED) {
                // The key is gone for good (screen lock removed): the only way on is a new enrolment.
                AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(AppLock.message(failure, t))
                    .setCancelable(false)
                    .setPositiveButton(R.string.enrol_title) { _, _ ->
                        app.enrolled = false
                        startActivity(Intent(this, EnrolActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TASK))
                    }.show()
                return
            }
            AppLock.message(failure, t)?.let { msg ->
                AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(msg).setPositiveButton(R.string.ok, null).show()
                return
            }
        }
        val msg = if (e is GocuaException) Errors.describe(e, t) else t.pick("Lỗi không mong đợi.", "Unexpected error.")
        AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(msg).setPositiveButton(R.string.ok, null).show()
    }

    /**
     * The register's key waits for the screen lock (AppLock): the system's own screen asks for the
     * PIN, pattern or password; once confirmed the screen starts again and reopens the register.
     */
    private fun askForScreenLock(): Boolean {
        if (askingForUnlock) return true
        val km = getSystemService(KEYGUARD_SERVICE) as KeyguardManager
        @Suppress("DEPRECATION")
        val intent = km.createConfirmDeviceCredentialIntent(getString(R.string.app_name), AppLock.message(AppLock.KeyFailure.NEEDS_UNLOCK, t))
            ?: return false // no secure lock screen any more: the caller says why
        askingForUnlock = true
        @Suppress("DEPRECATION")
        startActivityForResult(intent, REQUEST_UNLOCK)
        return true
    }

    private var askingForUnlock = false

    @Deprecated("Activity result API of the framework (no androidx)")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == REQUEST_UNLOCK) {
            askingForUnlock = false
            if (resultCode == RESULT_OK) recreate() else finish()
        }
    }

    companion object { const val REQUEST_UNLOCK = 7701 }

    protected fun hide(v: View) { v.visibility = View.GONE }
}
