"""The acronyms used on the site, with the expansions the source documents give.

Each expansion in GIVEN is written out in a seed document ("Community Violence Intervention
(CVI)", "Police Athletic Teams (PAT)", "the Birmingham Police Department"), or is the public
name of a public body (PUBLIC_NAMES: the FBI, the DOJ). The others appear in the content
without an expansion: they are listed for staff to complete, never guessed. Loading never
overwrites staff's edits.

SPANISH translates the given expansions; a proper name (the Magic City Peace Collective) stays
as it is, shown in English on Spanish pages.
"""

from django.db.models import Q

from core.models import GlossaryTerm

GIVEN = {
    "BPD": "Birmingham Police Department",
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
# Public names of public bodies the content names by their acronym alone: facts anyone can
# check on the bodies' own sites, not guesses.
PUBLIC_NAMES = {
    "ADECA": "Alabama Department of Economic and Community Affairs",
    "ATF": "Bureau of Alcohol, Tobacco, Firearms and Explosives",
    "DEA": "Drug Enforcement Administration",
    "DOJ": "U.S. Department of Justice",
    "FBI": "Federal Bureau of Investigation",
    "UAB": "University of Alabama at Birmingham",
}
GIVEN |= PUBLIC_NAMES
SPANISH = {
    "ADECA": "Departamento de Asuntos Económicos y Comunitarios de Alabama",
    "ATF": "Oficina de Alcohol, Tabaco, Armas de Fuego y Explosivos",
    "BPD": "Departamento de Policía de Birmingham",
    "DEA": "Administración para el Control de Drogas",
    "DOJ": "Departamento de Justicia de los Estados Unidos",
    "FBI": "Buró Federal de Investigaciones",
    "BSNTF": "Grupo de Trabajo de Vecindarios Seguros de Birmingham",
    "CBT": "Terapia Cognitivo-Conductual",
    "CIT": "Equipo de Intervención en Crisis",
    "COP": "Residentes en Patrulla",
    "COPE": "Alcance Comunitario y Educación Pública",
    "CPO": "Oficial de Prevención del Delito",
    "CSO": "Oficial de Servicio Comunitario",
    "CVI": "Intervención Comunitaria contra la Violencia",
    "GVRS": "Estrategia de Reducción de la Violencia Armada",
    "PAT": "Equipos Atléticos de la Policía",
    "PYAC": "Consejo Asesor Juvenil de la Policía",
    "SRO": "Oficial de Recursos Escolares",
}
# Not spelled out in any source document: left for staff, never guessed (PBJC, BFRS...).
NOT_GIVEN = [
    "BFRS",
    "BOSPD",
    "CSI",
    "MOU",
    "PBJC",
]


def load() -> str:
    existing = set(GlossaryTerm.objects.values_list("acronym", flat=True))
    new = [
        GlossaryTerm(
            acronym=acronym,
            expansion_en=GIVEN.get(acronym, ""),
            expansion_es=SPANISH.get(acronym, ""),
        )
        for acronym in sorted([*GIVEN, *NOT_GIVEN])
        if acronym not in existing
    ]
    GlossaryTerm.objects.bulk_create(new)
    filled = sum(  # a term loaded before its expansion was known, still blank: never an edit
        GlossaryTerm.objects.filter(acronym=acronym)
        .filter(Q(expansion_en="") | Q(expansion_en__isnull=True))
        .update(expansion_en=expansion)
        for acronym, expansion in GIVEN.items()
    )
    translated = sum(
        GlossaryTerm.objects.filter(acronym=acronym, expansion_en=GIVEN[acronym])
        .filter(Q(expansion_es="") | Q(expansion_es__isnull=True))
        .update(expansion_es=spanish)
        for acronym, spanish in SPANISH.items()
    )
    return (
        f"{len(new)} glossary terms added, {filled} given their expansion, "
        f"{translated} given their Spanish expansion"
    )
