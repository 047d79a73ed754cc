"""The acronyms used on the site, with the expansions the source documents give.

Each expansion below is written out in a seed document ("Community Violence Intervention
(CVI)", "Police Athletic Teams (PAT)"). The others appear in the content without an expansion:
they are listed for staff to complete, never guessed. Loading never overwrites staff's edits.
"""

from core.models import GlossaryTerm

GIVEN = {
    "BSNTF": "Birmingham Safe Neighborhoods Task Force",
    "CBT": "Cognitive Behavioral Therapy",
    "CIT": "Crisis Intervention Team",
    "COP": "Citizens on Patrol",
    "COPE": "Community Outreach and Public Education",
    "CPO": "Crime Prevention Officer",
    "CSO": "Community Service Officer",
    "CVI": "Community Violence Intervention",
    "GVRS": "Gun Violence Reduction Strategy",
    "MCPC": "Magic City Peace Collective",
    "PAT": "Police Athletic Teams",
    "PYAC": "Police Youth Advisory Council",
    "SRO": "School Resource Officer",
}
NOT_GIVEN = [
    "ADECA",
    "ATF",
    "BFRS",
    "BOSPD",
    "BPD",
    "CSI",
    "DEA",
    "DOJ",
    "FBI",
    "MOU",
    "PBJC",
    "UAB",
]


def load() -> str:
    existing = set(GlossaryTerm.objects.values_list("acronym", flat=True))
    new = [
        GlossaryTerm(acronym=acronym, expansion=GIVEN.get(acronym, ""))
        for acronym in sorted([*GIVEN, *NOT_GIVEN])
        if acronym not in existing
    ]
    GlossaryTerm.objects.bulk_create(new)
    return f"{len(new)} glossary terms added"
