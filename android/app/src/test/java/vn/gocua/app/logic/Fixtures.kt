package vn.gocua.app.logic

import vn.gocua.core.HouseholdSummary
import vn.gocua.core.Language
import vn.gocua.core.Lifecycle
import vn.gocua.core.SearchHit
import vn.gocua.core.SearchMatch
import vn.gocua.core.Severity
import vn.gocua.core.IssueKind
import vn.gocua.core.ValidationIssue

val vi = Texts(Language.VI)
val en = Texts(Language.EN)

fun summary(id: String, head: String?, pending: Boolean = false, followUp: String? = null, members: Int = 2, hamlet: String = "to-5") =
    HouseholdSummary(
        id = id, communeCode = "00004", hamletId = hamlet, headName = head, address = "5 Ngõ 12 Đội Cấn",
        plusCode = "7PH73RMM+F2", memberCount = members.toUInt(), lifecycle = Lifecycle.ACTIVE,
        conflictCount = 0u, hasMemberWith5Skills = false, visitCount = 1u, followUpOn = followUp, pendingSync = pending,
    )

fun hit(household: String, name: String) =
    SearchHit(householdId = household, memberId = "m-$household", fullName = name, hamletId = "to-5", idNumberLast4 = null, matched = SearchMatch.NAME)

fun issue(severity: Severity, field: String, message: String, kind: IssueKind = IssueKind.INVALID_VALUE) =
    ValidationIssue(severity, kind, kind.name.lowercase(), field, message, message, message)
