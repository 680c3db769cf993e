"""The starting library of common preventive actions (DOMAIN.md), editable in the admin."""

from hruf.translated import translations_apply

TEMPLATES = [
    ("Deploy a light team", "A small team of experts to assess the situation and advise the country team.", "DPPA"),
    ("Deploy or extend a human rights adviser", "Human rights capacity in the Resident Coordinator's office.", "OHCHR"),
    ("Deploy a peace and development adviser", "Joint UNDP-DPPA adviser to support national prevention capacity.", "UNDP"),
    ("Strengthen the OHCHR presence", "More monitoring and protection staff on the ground.", "OHCHR"),
    ("Mediation support or preventive diplomacy", "By an envoy or the regional office.", "DPPA"),
    ("Good offices of the Secretary-General", "Engagement by the Secretary-General or a senior official.", "EOSG"),
    ("Public statement by the SG or the High Commissioner", "A statement naming the risk and calling for restraint.", "EOSG"),
    ("Brief the Security Council", "Including under Article 99 of the Charter.", "DPPA"),
    ("Brief the Human Rights Council", "Through the High Commissioner or a special procedure.", "OHCHR"),
    ("Engage national authorities", "Raise the concerns with the government at the appropriate level.", "RCO"),
    ("Engage the African Union or another regional organisation", "Coordinate prevention with the regional body.", "DPPA"),
    ("Review the mission's contingency plan for atrocity situations", "Update and exercise the plan.", "DPO"),
    ("Protection-of-civilians posture of a peacekeeping mission", "Adjust deployments and patrols to the threat.", "DPO"),
    ("Request surge funding", "Mobilise resources for rapid deployment.", "PBSO"),
]


def load_templates(apps) -> int:
    ActionTemplate = apps.get_model("followup", "ActionTemplate")
    Entity = apps.get_model("hruf", "Entity")
    leads = {e.code: e for e in Entity.objects.filter(code__in={lead for *_, lead in TEMPLATES})}
    created = 0
    for title, description, lead in TEMPLATES:
        _, made = ActionTemplate.objects.get_or_create(
            title=title, defaults={"description": description, "default_lead": leads.get(lead)}
        )
        created += made
    translate_templates(apps)
    return created


def translate_templates(apps) -> None:
    translations_apply(apps.get_model("followup", "ActionTemplate"), ("title", "description"))
    translations_apply(apps.get_model("followup", "TemplateBenchmark"), ("description",))
