"""The 14 risk factors of the UN Framework of Analysis and the default simple matrix.

Data, not code: an administrator publishes later versions in the admin. Loading is
idempotent and never touches a version other than the first.
"""

from __future__ import annotations

from django.utils import timezone

from hruf.translated import translations_apply

COMMON = "Common risk factors"
GENOCIDE = "Genocide"
CRIMES_AGAINST_HUMANITY = "Crimes against humanity"
WAR_CRIMES = "War crimes"

RISK_FACTORS = [
    (1, "Situations of armed conflict or other forms of instability", COMMON),
    (2, "Record of serious violations of international human rights and humanitarian law", COMMON),
    (3, "Weakness of State structures", COMMON),
    (4, "Motives or incentives", COMMON),
    (5, "Capacity to commit atrocity crimes", COMMON),
    (6, "Absence of mitigating factors", COMMON),
    (7, "Enabling circumstances or preparatory action", COMMON),
    (8, "Triggering factors", COMMON),
    (9, "Intergroup tensions or patterns of discrimination against protected groups", GENOCIDE),
    (10, "Signs of an intent to destroy in whole or in part a protected group", GENOCIDE),
    (11, "Signs of a widespread or systematic attack against any civilian population", CRIMES_AGAINST_HUMANITY),
    (12, "Signs of a plan or policy to attack any civilian population", CRIMES_AGAINST_HUMANITY),
    (13, "Serious threats to those protected under international humanitarian law", WAR_CRIMES),
    (14, "Serious threats to humanitarian or peacekeeping operations", WAR_CRIMES),
]

# (code, name, question, guidance, risk factor numbers)
DEFAULT_MATRIX = [
    (
        "hate-speech",
        "Hate speech and incitement against groups",
        "Are leaders, media or online networks spreading hatred or calls to violence against a group?",
        "Look for speech that dehumanises a group (calling its members vermin, traitors or a disease), blames it "
        "for the country's troubles, or calls for its removal. Rate 2 when it comes from public figures or mass "
        "media; 3 when it openly calls for violence or is followed by attacks.",
        [8, 9, 10],
    ),
    (
        "violence-civilians",
        "Rising violence against civilians",
        "Are civilians being killed, injured, abducted or displaced more than before?",
        "Count incidents and victims against the last period. Rate 2 when attacks target civilians deliberately "
        "or spread to new areas; 3 when they are large-scale, repeated or organised.",
        [11, 13],
    ),
    (
        "extremist-ideology",
        "Extremist or exclusionary ideologies gaining ground",
        "Are ideologies that define some people as not belonging, or as enemies, gaining followers or power?",
        "Watch political programmes, movements and armed groups that exclude people by identity. Rate 2 when "
        "such a movement gains office or wide support; 3 when it speaks of eliminating a group.",
        [4, 10],
    ),
    (
        "discrimination",
        "Discrimination or persecution of identity groups",
        "Are people denied rights, services or citizenship because of their ethnicity, religion or identity?",
        "Include discriminatory laws, denial that a group exists, forced identity documents, exclusion from "
        "services. Rate 2 when it is systematic or new laws entrench it; 3 when it comes with arrests, "
        "expulsions or seizures of property.",
        [9],
    ),
    (
        "armed-conflict",
        "Armed conflict or serious instability",
        "Is there armed conflict, or a serious risk that political or social tension turns violent?",
        "Consider armed clashes, coups or attempts, states of emergency, mass protests met with force. Rate 2 "
        "for localised conflict or acute political crisis; 3 for open conflict affecting large areas.",
        [1],
    ),
    (
        "armed-groups",
        "Armed groups or militias forming or being armed",
        "Are militias, self-defence groups or irregular forces being created, armed or trained?",
        "Include arms distributions, recruitment drives along identity lines, and militias acting with the "
        "authorities' support. Rate 3 when they are armed and deployed near communities at risk.",
        [5, 7],
    ),
    (
        "civic-space",
        "Crackdown on civil society, media or communications",
        "Are journalists, activists or organisations being silenced, or communications cut?",
        "Look for arrests of journalists and defenders, closure of media or NGOs, expulsion of international "
        "observers, internet shutdowns. Rate 3 when independent information from an area has stopped.",
        [6, 7],
    ),
    (
        "impunity",
        "Impunity and weak rule of law",
        "Do serious crimes go unpunished, or are courts and police unable or unwilling to act?",
        "Consider past atrocities left unpunished, amnesties for serious crimes, security forces above the law, "
        "courts that cannot work. Rate 2 when recent abuses go uninvestigated; 3 when perpetrators are rewarded.",
        [2, 3],
    ),
    (
        "triggers",
        "Triggers ahead: elections, transitions, security operations, census",
        "Is an event coming that could set off violence?",
        "List elections, referendums, successions, a census, the anniversary of past violence, or a planned "
        "security operation within the next six months. Rate 2 when the event is contested; 3 when violence "
        "has been threatened around it.",
        [8],
    ),
    (
        "humanitarian-access",
        "Threats to humanitarian or peacekeeping operations",
        "Are humanitarian workers or peacekeepers attacked, obstructed or expelled?",
        "Include denied access, blocked supplies essential to survival, attacks on convoys or bases, "
        "expulsion of agencies. Rate 3 when people in need can no longer be reached.",
        [14],
    ),
]


def load_matrix(apps) -> dict[str, int]:
    RiskFactor = apps.get_model("scans", "RiskFactor")
    MatrixVersion = apps.get_model("scans", "MatrixVersion")
    Indicator = apps.get_model("scans", "Indicator")
    factors = {}
    for number, name, group in RISK_FACTORS:
        factors[number], _ = RiskFactor.objects.update_or_create(number=number, defaults={"name": name, "group": group})
    version, created = MatrixVersion.objects.get_or_create(
        number=1, defaults={"notes": "Default simple matrix.", "published_at": timezone.now()}
    )
    if created:
        for position, (code, name, question, guidance, numbers) in enumerate(DEFAULT_MATRIX, start=1):
            indicator = Indicator.objects.create(
                version=version, code=code, position=position, name=name, question=question, guidance=guidance
            )
            indicator.risk_factors.set([factors[n] for n in numbers])
    translate_matrix(apps)
    return {"risk_factors": len(factors), "matrix_created": int(created)}


def translate_matrix(apps) -> None:
    translations_apply(apps.get_model("scans", "RiskFactor"), ("name", "group"))
    translations_apply(apps.get_model("scans", "Indicator"), ("name", "question", "guidance"))
