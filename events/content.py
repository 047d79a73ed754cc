"""Load the events and news derived from the source documents (seeds 001, 002 and 004).

Rows are created when missing and never updated: what staff edited stays as they left it.
News from other sources is summarized in COPE's words and credited by name; the seeds give
no links, so the source link is left for staff to fill in. Each text has its Spanish beside
it (`title_es`...), added to a row loaded before it existed unless staff have written one or
changed the English since.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from modeltranslation.translator import translator

from core.languages import add_seed_spanish
from events.models import Event, NewsPost
from recommendations.models import Recommendation

CHICAGO = ZoneInfo("America/Chicago")

EVENTS = [
    {
        "slug": "safety-plan-feedback-session-2025-03-19",
        "title": "Community feedback session: Gun Violence Reduction Strategy",
        "starts_at": datetime(2025, 3, 19, 16, 0, tzinfo=CHICAGO),
        "ends_at": datetime(2025, 3, 19, 18, 0, tzinfo=CHICAGO),
        "place": "Birmingham Crossplex",
        "address": "2340 Crossplex Blvd",
        "description": (
            "A community feedback session on the city's public-safety plan, recommendation 5: "
            "create a Gun Violence Reduction Strategy (GVRS) to address the root causes of gun "
            "violence, reduce incidents, and build resilience among individuals and "
            "communities.\n\n"
            "Virtual option available.\n\n"
            "For more information, go to birminghamal.gov/csi"
        ),
        "recommendations": [5],
        "title_es": (
            "Sesión de opinión comunitaria: Estrategia de Reducción de la Violencia Armada"
        ),
        "description_es": (
            "Una sesión para que la comunidad opine sobre el plan de seguridad pública de la "
            "ciudad, recomendación 5: crear una Estrategia de Reducción de la Violencia Armada "
            "(GVRS) para atender las causas de fondo de la violencia armada, reducir los "
            "incidentes y fortalecer la resiliencia de las personas y las comunidades.\n\n"
            "Opción virtual disponible.\n\n"
            "Para más información, visite birminghamal.gov/csi"
        ),
    },
]

NEWS = [
    {
        "slug": "community-walk-east-birmingham-2016",
        "title": "Community walk in east Birmingham",
        "date": date(2016, 7, 13),
        "date_note": "",
        "summary": (
            "Chief A.C. Roper and Birmingham police officers walked in east Birmingham near "
            "Oporto-Madrid Boulevard, meeting people and visiting businesses."
        ),
        "body": (
            "On Wednesday night, July 13, 2016, Birmingham Police Chief A.C. Roper and officers "
            "took part in a community walk in east Birmingham near Oporto-Madrid Boulevard, "
            "meeting people and visiting businesses in the heat.\n\n"
            "Chief Roper said the walk was planned before the deadly officer-involved shootings "
            "and police killings in the country, and that those made it even "
            "more important. He said the department wants to engage citizens, partner with "
            "them and talk to them, to build trust and stronger relationships, and that he "
            "hoped to hear what the department can do to better serve the public.\n\n"
            "WBRC reported on the walk on July 14, 2016."
        ),
        "source_name": "WBRC",
        "title_es": "Caminata comunitaria en el este de Birmingham",
        "summary_es": (
            "El jefe A.C. Roper y oficiales de la Policía de Birmingham caminaron por el este de "
            "Birmingham, cerca de Oporto-Madrid Boulevard, donde se reunieron con personas y "
            "visitaron negocios."
        ),
        "body_es": (
            "La noche del miércoles 13 de julio de 2016, el jefe de la Policía de Birmingham, "
            "A.C. Roper, y oficiales participaron en una caminata comunitaria en el este de "
            "Birmingham, cerca de Oporto-Madrid Boulevard, donde se reunieron con personas y "
            "visitaron negocios bajo el calor.\n\n"
            "El jefe Roper dijo que la caminata se planeó antes de los tiroteos mortales con "
            "participación de policías y de los asesinatos de policías en el país, y que esos "
            "hechos la hicieron aún más importante. Dijo que el departamento quiere involucrar a "
            "los residentes, colaborar con ellos y hablar con ellos, para generar confianza y "
            "relaciones más sólidas, y que esperaba escuchar qué puede hacer el departamento "
            "para servir mejor al público.\n\n"
            "WBRC informó sobre la caminata el 14 de julio de 2016."
        ),
    },
    {
        "slug": "birmingham-safe-neighborhoods-task-force",
        "title": "U.S. Attorney's Office launches the Birmingham Safe Neighborhoods Task Force",
        "date": date(2018, 4, 16),
        "date_note": (
            "The source gives no date for the launch itself: April 16, 2018 is when CBS 42's "
            "video about the new task force was posted."
        ),
        "summary": (
            "A task force to offer prevention and community outreach programs within the city, "
            "announced by U.S. Attorney Jay E. Town."
        ),
        "body": (
            "The U.S. Attorney's Office has launched the Birmingham Safe Neighborhoods Task "
            "Force (BSNTF) to offer prevention and community outreach programs within the "
            "city. It complements the law enforcement work of the Birmingham Public Safety "
            "Task Force, in combined efforts to reduce violent crime in the Birmingham area.\n\n"
            "The task force engages law enforcement, government agencies, nonprofit "
            "organizations and corporate citizens. Its members will develop and conduct "
            "community programs aimed at education, community-police relations and building "
            "opportunities. Building and improving trust and communication between the "
            "community and law enforcement is, U.S. Attorney Town said, a critical function "
            "of the task force.\n\n"
            "Both task forces incorporate principles of Project Safe Neighborhoods, the "
            "Department of Justice's violent crime reduction strategy, and the National "
            "Public Safety Partnership."
        ),
        "source_name": "U.S. Attorney's Office",
        "title_es": (
            "La Oficina del Fiscal Federal lanza el Grupo de Trabajo de Vecindarios Seguros de "
            "Birmingham"
        ),
        "date_note_es": (
            "La fuente no da la fecha del lanzamiento: el 16 de abril de 2018 es cuando se "
            "publicó el video de CBS 42 sobre el nuevo grupo de trabajo."
        ),
        "summary_es": (
            "Un grupo de trabajo que ofrecerá programas de prevención y de alcance comunitario "
            "en la ciudad, anunciado por el fiscal federal Jay E. Town."
        ),
        "body_es": (
            "La Oficina del Fiscal Federal lanzó el Grupo de Trabajo de Vecindarios Seguros de "
            "Birmingham (Birmingham Safe Neighborhoods Task Force, BSNTF) para ofrecer programas "
            "de prevención y de alcance comunitario en la ciudad. Complementa la labor policial "
            "del Grupo de Trabajo de Seguridad Pública de Birmingham (Birmingham Public Safety "
            "Task Force), en un esfuerzo conjunto para reducir los delitos violentos en el área "
            "de Birmingham.\n\n"
            "El grupo de trabajo reúne a las fuerzas del orden, agencias del gobierno, "
            "organizaciones sin fines de lucro y empresas. Sus miembros crearán y llevarán a "
            "cabo programas comunitarios dedicados a la educación, a las relaciones entre la "
            "comunidad y la policía y a crear oportunidades. Según el fiscal federal Town, "
            "construir y mejorar la confianza y la comunicación entre la comunidad y las fuerzas "
            "del orden es una función esencial del grupo de trabajo.\n\n"
            "Ambos grupos de trabajo incorporan principios de Project Safe Neighborhoods (la "
            "estrategia del Departamento de Justicia para reducir los delitos violentos) y de la "
            "National Public Safety Partnership (Alianza Nacional de Seguridad Pública)."
        ),
    },
]


# Earlier seed Spanish that loading replaces where it is still on a row (core.languages).
_walk = next(row for row in NEWS if row["slug"] == "community-walk-east-birmingham-2016")
_walk["body_es_before"] = [
    _walk["body_es"].replace("involucrar a los residentes", "involucrar a los ciudadanos")
]


def load() -> str:
    new_events = new_posts = translated = 0
    for row in EVENTS:
        event, created = get_or_create(Event, row, skip={"recommendations"})
        if created:
            event.recommendations.set(
                Recommendation.objects.filter(number__in=row["recommendations"])
            )
            new_events += 1
        else:
            translated += add_spanish(event, row)
    for row in NEWS:
        post, created = get_or_create(NewsPost, row)
        new_posts += created
        if not created:
            translated += add_spanish(post, row)
    summary = f"{new_events} events and {new_posts} news posts added"
    return summary + (f"; Spanish added to {translated}" if translated else "")


def get_or_create(model, row: dict, skip=frozenset()):
    """The row by its slug, or a new published one with the English and Spanish texts."""
    translated = translator.get_options_for_model(model).all_fields
    fields = {
        (f"{name}_en" if name in translated else name): value
        for name, value in row.items()
        if name != "slug" and name not in skip and not name.endswith("_before")
    }
    return model.objects.get_or_create(slug=row["slug"], defaults=fields | {"is_published": True})


def add_spanish(item, row: dict) -> bool:
    """Fill the empty Spanish texts whose English is still the seed's; True if any was."""
    fields = translator.get_options_for_model(type(item)).all_fields
    return bool(add_seed_spanish(item, row, fields))
