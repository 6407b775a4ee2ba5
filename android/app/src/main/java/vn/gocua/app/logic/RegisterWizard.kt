package vn.gocua.app.logic

import vn.gocua.core.ConsentMethod
import vn.gocua.core.ConsentPurposes
import vn.gocua.core.Gender
import vn.gocua.core.GpsFix
import vn.gocua.core.GpsSource
import vn.gocua.core.HouseholdInput
import vn.gocua.core.MemberFieldUpdate
import vn.gocua.core.MemberInput
import vn.gocua.core.Relation
import vn.gocua.core.ResidenceType
import vn.gocua.core.ValidationIssue

/**
 * "Register a household" as a guided sequence: address and position, members, consent per
 * person, then the checklist. The screen calls the core (validate, create, add) and hands the
 * results here; the model keeps what was typed, the step, the messages beside each field, and a
 * draft to resume after leaving half-way. [plusCodeOf] is the core's `plusCode`.
 */
class RegisterWizard(
    private val t: Texts,
    private val plusCodeOf: (Double, Double) -> String?,
) {
    enum class Step { ADDRESS, MEMBERS, CONSENT, CHECKLIST }

    sealed class Position {
        object None : Position()
        object Locating : Position()
        data class Unavailable(val why: String) : Position()
        data class Known(val lat: Double, val lon: Double, val accuracyM: Double, val source: GpsSource, val fixedAtMillis: Long, val plusCode: String?) : Position()
    }

    /**
     * A saved member. `withheld` holds the birth date, ID number and phone as typed: the register
     * stores them only after the person's consent (the core's rule), so they wait here and are
     * dropped when the person declines.
     */
    data class AddedMember(
        val id: String, val name: String, val relation: Relation, var consentAsked: Boolean = false,
        var withheld: List<MemberFieldUpdate> = emptyList(),
    )

    var step = Step.ADDRESS
        private set
    var provinceCode = ""
    var communeCode = ""
    var hamletId = ""
    var street = ""
    var alley = ""
    var houseNumber = ""
    var notes = ""
    var position: Position = Position.None
        private set
    var householdId: String? = null
        private set
    val members = mutableListOf<AddedMember>()

    // the member form
    var memberName = ""
    var memberBirth = ""
    var memberGender: Gender? = null
    var memberRelation: Relation = Relation.HEAD
    var memberIdNumber = ""
    var memberPhone = ""

    var issues = Issues()
        private set
    /** Warnings shown for the current form that the volunteer has seen: the next save accepts them. */
    var warningsSeen = false
        private set

    // --- position ----------------------------------------------------------------------------
    fun onLocating() { position = Position.Locating }

    fun onFix(lat: Double, lon: Double, accuracyM: Double, atMillis: Long) {
        position = Position.Known(lat, lon, accuracyM, GpsSource.FIX, atMillis, plusCodeOf(lat, lon))
    }

    /** A position pinned by hand on a map: no accuracy from a receiver, recorded as such. */
    fun onPinned(lat: Double, lon: Double, atMillis: Long) {
        position = Position.Known(lat, lon, 0.0, GpsSource.MAP_PIN, atMillis, plusCodeOf(lat, lon))
    }

    fun onNoFix(why: String) { position = Position.Unavailable(why) }

    fun positionText(): String = when (val p = position) {
        Position.None -> t.pick("Chưa lấy vị trí.", "No position yet.")
        Position.Locating -> t.pick("Đang lấy vị trí GPS…", "Getting a GPS fix…")
        is Position.Unavailable -> t.pick("Không lấy được vị trí: ${p.why}. Thử lại hoặc ghim trên bản đồ.", "No position: ${p.why}. Retry or pin it on the map.")
        is Position.Known -> Format.position(p.lat, p.lon, p.accuracyM, p.source == GpsSource.MAP_PIN, t)
    }

    fun plusCode(): String? = (position as? Position.Known)?.plusCode

    private fun gpsFix(): GpsFix? = (position as? Position.Known)?.let {
        GpsFix(it.lat, it.lon, it.accuracyM, java.time.Instant.ofEpochMilli(it.fixedAtMillis), it.source)
    }

    // --- the address step ----------------------------------------------------------------------
    fun householdInput() = HouseholdInput(
        provinceCode = provinceCode, communeCode = communeCode, hamletId = hamletId,
        street = street.trim().ifEmpty { null }, alley = alley.trim().ifEmpty { null },
        houseNumber = houseNumber.trim().ifEmpty { null }, gps = gpsFix(), official = null,
        notes = notes.trim().ifEmpty { null },
    )

    /** The core's findings as the form changes (`validateHousehold` / `validateMember`). */
    fun onChecked(found: List<ValidationIssue>) {
        issues = Issues(found)
        warningsSeen = false
    }

    /**
     * Whether "continue" may save now: no error; and if there are warnings, they were shown once
     * (the first tap shows them, the second accepts them).
     */
    fun trySave(): Boolean {
        if (issues.blocking) return false
        if (issues.warnings.isNotEmpty() && !warningsSeen) {
            warningsSeen = true
            return false
        }
        return true
    }

    fun warningPrompt(): String? = if (issues.warnings.isNotEmpty() && warningsSeen && !issues.blocking) {
        t.pick("Có cảnh báo. Bấm lần nữa để chấp nhận và lưu.", "There are warnings. Tap again to accept them and save.")
    } else null

    fun onHouseholdCreated(id: String) {
        householdId = id
        issues = Issues()
        step = Step.MEMBERS
    }

    /** A save the core refused: its issues go beside the fields. */
    fun onRejected(found: List<ValidationIssue>) {
        issues = Issues(found)
        warningsSeen = false
    }

    // --- members --------------------------------------------------------------------------------
    fun memberInput() = MemberInput(
        fullName = memberName.trim(), birth = memberBirth.trim().ifEmpty { null }, gender = memberGender,
        relation = memberRelation, idNumber = memberIdNumber.trim().ifEmpty { null },
        phone = memberPhone.trim().ifEmpty { null }, residence = ResidenceType.PERMANENT,
    )

    /** What the register may store before consent: the member without birth, ID number, phone. */
    fun memberBeforeConsent() = memberInput().copy(birth = null, idNumber = null, phone = null)

    /** The member was saved by the core. */
    fun onMemberAdded(id: String) {
        val typed = memberInput()
        val withheld = listOfNotNull(
            typed.birth?.let { MemberFieldUpdate.Birth(it) },
            typed.idNumber?.let { MemberFieldUpdate.IdNumber(it) },
            typed.phone?.let { MemberFieldUpdate.Phone(it) },
        )
        members += AddedMember(id, memberName.trim(), memberRelation, withheld = withheld)
        memberName = ""; memberBirth = ""; memberGender = null; memberIdNumber = ""; memberPhone = ""
        memberRelation = Relation.CHILD
        issues = Issues()
        warningsSeen = false
    }

    val canLeaveMembers get() = members.isNotEmpty()

    fun toConsent() { if (canLeaveMembers) step = Step.CONSENT }

    // --- consent ---------------------------------------------------------------------------------
    /** Purposes ticked on the consent screen for the member being asked. */
    var purposes = ConsentPurposes(localRegister = true, setupHelp = true, shareWithCommune = false)
    var method: ConsentMethod = ConsentMethod.SIGNATURE_ON_SCREEN
    /** A guardian (another member) for a minor: the core says when one is needed. */
    var guardianId: String? = null

    /** Members who could be the guardian of [memberId]. */
    fun guardianChoices(memberId: String) = members.filter { it.id != memberId }

    /** The next member not yet asked (consent recorded, or declined: nothing recorded). */
    fun nextWithoutConsent(): AddedMember? = members.firstOrNull { !it.consentAsked }

    fun onConsentRecorded(memberId: String) {
        members.find { it.id == memberId }?.let { it.consentAsked = true; it.withheld = emptyList() }
        guardianId = null
    }

    fun consentProgress(): String {
        val done = members.count { it.consentAsked }
        return t.pick("Đồng ý: $done/${members.size} người", "Consent: $done/${members.size} people")
    }

    /** Consent for everyone is not required to go on: someone may refuse; the checklist follows. */
    fun toChecklist() { step = Step.CHECKLIST }

    fun back() {
        step = when (step) {
            Step.ADDRESS, Step.MEMBERS -> step // the household exists once saved: edit it from its card
            Step.CONSENT -> Step.MEMBERS
            Step.CHECKLIST -> Step.CONSENT
        }
    }

    fun stepTitle(): String = when (step) {
        Step.ADDRESS -> t.pick("Bước 1/4 · Địa chỉ và vị trí", "Step 1/4 · Address and position")
        Step.MEMBERS -> t.pick("Bước 2/4 · Thành viên", "Step 2/4 · Members")
        Step.CONSENT -> t.pick("Bước 3/4 · Đồng ý của từng người", "Step 3/4 · Consent of each person")
        Step.CHECKLIST -> t.pick("Bước 4/4 · Danh mục kỹ năng số", "Step 4/4 · Digital checklist")
    }

    // --- draft -------------------------------------------------------------------------------------
    /** What was typed, to keep when the volunteer leaves half-way (stored in the app's private files). */
    fun draft(): Map<String, String> = buildMap {
        put("step", step.name)
        householdId?.let { put("household", it) }
        put("province", provinceCode); put("commune", communeCode); put("hamlet", hamletId)
        put("street", street); put("alley", alley); put("house", houseNumber); put("notes", notes)
        (position as? Position.Known)?.let {
            put("lat", it.lat.toString()); put("lon", it.lon.toString()); put("acc", it.accuracyM.toString())
            put("src", it.source.name); put("at", it.fixedAtMillis.toString())
        }
        put("m.name", memberName); put("m.birth", memberBirth); put("m.relation", memberRelation.name)
        members.forEachIndexed { i, m -> put("added.$i", listOf(m.id, m.relation.name, m.consentAsked, m.name).joinToString("\u001f")) }
    }

    fun restore(d: Map<String, String>) {
        step = d["step"]?.let { s -> Step.values().firstOrNull { it.name == s } } ?: Step.ADDRESS
        householdId = d["household"]
        provinceCode = d["province"] ?: ""; communeCode = d["commune"] ?: ""; hamletId = d["hamlet"] ?: ""
        street = d["street"] ?: ""; alley = d["alley"] ?: ""; houseNumber = d["house"] ?: ""; notes = d["notes"] ?: ""
        val lat = d["lat"]?.toDoubleOrNull(); val lon = d["lon"]?.toDoubleOrNull()
        if (lat != null && lon != null) {
            val src = if (d["src"] == GpsSource.MAP_PIN.name) GpsSource.MAP_PIN else GpsSource.FIX
            position = Position.Known(lat, lon, d["acc"]?.toDoubleOrNull() ?: 0.0, src, d["at"]?.toLongOrNull() ?: 0L, plusCodeOf(lat, lon))
        }
        memberName = d["m.name"] ?: ""; memberBirth = d["m.birth"] ?: ""
        memberRelation = d["m.relation"]?.let { r -> Relation.values().firstOrNull { it.name == r } } ?: Relation.HEAD
        members.clear()
        d.keys.filter { it.startsWith("added.") }.sortedBy { it.removePrefix("added.").toInt() }.forEach { k ->
            val p = d.getValue(k).split("\u001f")
            if (p.size == 4) members += AddedMember(p[0], p[3], Relation.valueOf(p[1]), p[2].toBoolean())
        }
        if (householdId == null) step = Step.ADDRESS
    }
}
