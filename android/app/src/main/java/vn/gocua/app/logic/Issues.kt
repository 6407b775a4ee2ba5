package vn.gocua.app.logic

import vn.gocua.core.Severity
import vn.gocua.core.ValidationIssue

/**
 * The core's validation findings of one form, to show beside their fields. Errors block saving;
 * warnings are shown and can be accepted (saving accepts them). The messages are the core's.
 */
class Issues(val all: List<ValidationIssue> = emptyList()) {
    val errors get() = all.filter { it.severity == Severity.ERROR }
    val warnings get() = all.filter { it.severity == Severity.WARNING }
    val blocking get() = errors.isNotEmpty()

    /** Messages of the fields whose path starts with [prefix] (`member.id_number`, `digital_address.gps`). */
    fun messagesFor(prefix: String): List<String> =
        all.filter { it.field == prefix || it.field.startsWith("$prefix.") }.map { mark(it) + it.message }

    /** Messages of fields no input shows (so none is lost). */
    fun others(shown: List<String>): List<String> =
        all.filter { i -> shown.none { p -> i.field == p || i.field.startsWith("$p.") } }.map { mark(it) + it.message }

    private fun mark(i: ValidationIssue) = if (i.severity == Severity.ERROR) "⛔ " else "⚠ "
}
