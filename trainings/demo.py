"""Demo programme: eight trainings, sessions over the coming months, registrations and a pending request.

Dates are relative to today so the demo never goes stale. Rows are created directly (no
e-mails); running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from extranet.models import Library, User
from trainings.models import Audience, EmploymentStatus, Registration, Theme, TraineeRequest, Training, TrainingSession

BDVO = ("BDVO, salle de formation", "2 rue des Châteaux, 95310 Saint-Ouen-l'Aumône")
CERGY = ("Médiathèque de l'Astrolabe", "Place des Arts, 95000 Cergy")
MARINES = ("Médiathèque de Marines", "2 rue des Écoles, 95640 Marines")
GOUSSAINVILLE = ("Médiathèque de Goussainville", "1 avenue du Parc, 95190 Goussainville")

THEMES = {
    "accueil": "Accueil et publics",
    "collections": "Collections",
    "animation": "Animation et médiation",
    "numerique": "Numérique et outils",
}

TRAININGS = [
    # slug, title, theme, audience, days, hours, trainers, summary, description, objectives
    (
        "accueillir-les-publics",
        "Accueillir les publics en bibliothèque",
        "accueil",
        Audience.EVERYONE,
        "1",
        6,
        "Équipe formation de la BDVO",
        "Les gestes et les mots d'un accueil chaleureux, du premier contact au prêt.",
        "L'accueil fait la bibliothèque : c'est lui qui donne envie de revenir. À partir de situations vécues "
        "dans les petites bibliothèques du réseau, la journée passe en revue l'accueil au comptoir, au téléphone, "
        "des nouveaux inscrits et des publics éloignés du livre.",
        "Identifier ce qui facilite ou freine la venue des publics\nAdopter une posture d'accueil adaptée\n"
        "Faire face aux situations délicates avec sérénité",
    ),
    (
        "kamishibai-raconter-avec-un-butai",
        "Le kamishibaï : raconter avec un butaï",
        "animation",
        Audience.EVERYONE,
        "1",
        6,
        "Une conteuse professionnelle et une bibliothécaire de la BDVO",
        "Choisir, préparer et raconter une histoire avec le petit théâtre de papier japonais.",
        "Le kamishibaï plaît aux petits comme aux grands. Après une présentation de ses origines et du fonds "
        "prêté par la BDVO (butaï et planches), chaque participant prépare et raconte une histoire devant le groupe.",
        "Connaître l'histoire et les codes du kamishibaï\nChoisir des titres adaptés à son public\n"
        "Raconter avec aisance en manipulant les planches",
    ),
    (
        "desherber-ses-collections",
        "Désherber ses collections",
        "collections",
        Audience.EVERYONE,
        "1",
        6,
        "Bibliothécaires de la BDVO, pôle collections",
        "Retirer les documents usés ou dépassés pour redonner de l'attrait aux rayonnages.",
        "Des rayonnages trop pleins découragent les lecteurs. La formation présente la méthode IOUPI et des "
        "critères simples, puis les participants s'exercent sur un fonds réel et repartent avec un plan de désherbage.",
        "Comprendre l'intérêt du désherbage\nAppliquer des critères de tri objectifs\n"
        "Organiser le devenir des documents retirés",
    ),
    (
        "animer-un-club-de-lecture-ado",
        "Animer un club de lecture ado",
        "animation",
        Audience.PROFESSIONALS,
        "0.5",
        3,
        "Bibliothécaire jeunesse, médiathèque de Goussainville",
        "Lancer et faire vivre un club de lecture avec des adolescents.",
        "Comment attirer les 12-17 ans et leur donner la parole ? Retours d'expérience, sélection de romans, "
        "mangas et BD, idées de jeux et de formats courts pour que le club dure toute l'année.",
        "Connaître les pratiques de lecture des adolescents\nConstruire une séance de club\nDonner envie de revenir",
    ),
    (
        "jeux-video-en-bibliotheque",
        "Jeux vidéo en bibliothèque",
        "numerique",
        Audience.EVERYONE,
        "1",
        6,
        "Médiateur numérique de la BDVO",
        "Installer une console, choisir des jeux et animer des après-midis de jeu.",
        "La BDVO prête des packs de jeux vidéo (console et manettes). La journée montre comment les installer, "
        "choisir des jeux adaptés à tous les âges et animer un tournoi ou une séance en famille.",
        "Installer et utiliser un pack de jeux vidéo\nChoisir des jeux selon le public (PEGI)\nAnimer une séance de jeu",
    ),
    (
        "premiers-pas-avec-le-sigb",
        "Premiers pas avec le SIGB",
        "numerique",
        Audience.VOLUNTEERS,
        "0.5",
        3,
        "Équipe informatique documentaire de la BDVO",
        "Prêts, retours, inscriptions et import des notices de la BDVO dans votre logiciel.",
        "Pour les bénévoles qui découvrent le logiciel de la bibliothèque : les opérations de tous les jours "
        "et l'import des notices exportées depuis le portail (ISO 2709, zone 995).",
        "Enregistrer prêts, retours et inscriptions\nImporter les notices des documents prêtés par la BDVO\n"
        "Savoir à qui demander de l'aide",
    ),
    (
        "lire-a-voix-haute-aux-tout-petits",
        "Lire à voix haute aux tout-petits",
        "animation",
        Audience.EVERYONE,
        "1",
        6,
        "Formatrice de l'association Lire et faire lire et bibliothécaire jeunesse",
        "Albums, comptines et jeux de doigts pour les 0-3 ans et leurs parents.",
        "La lecture aux bébés se prépare : choix des albums, place des parents, durée, rituels. "
        "Mises en situation et découverte d'une sélection d'albums prêtés par la BDVO.",
        "Choisir des albums pour les tout-petits\nLire et chanter devant un petit groupe\nAssocier les parents",
    ),
    (
        "construire-sa-politique-documentaire",
        "Construire sa politique documentaire",
        "collections",
        Audience.HEADS,
        "2",
        12,
        "Conservatrice de la BDVO",
        "Écrire la charte documentaire de la bibliothèque et planifier ses acquisitions.",
        "Deux journées pour poser les bases d'une politique documentaire adaptée à sa commune : "
        "analyse du fonds et des publics, charte, plan de développement et complémentarité avec les prêts de la BDVO.",
        "Analyser son fonds et son public\nRédiger une charte documentaire\nPlanifier acquisitions et désherbage",
    ),
]

# slug, days from today, start hour, end hour, place, capacity, extra days, schedule text
SESSIONS = [
    ("accueillir-les-publics", 12, (9, 30), (16, 30), BDVO, 14, 0, ""),
    ("accueillir-les-publics", 75, (9, 30), (16, 30), GOUSSAINVILLE, 14, 0, ""),
    ("kamishibai-raconter-avec-un-butai", 20, (9, 30), (16, 30), MARINES, 3, 0, ""),
    ("desherber-ses-collections", 34, (9, 30), (16, 30), BDVO, 12, 0, ""),
    ("animer-un-club-de-lecture-ado", 27, (14, 0), (17, 0), GOUSSAINVILLE, 10, 0, ""),
    ("jeux-video-en-bibliotheque", 41, (9, 30), (16, 30), CERGY, 2, 0, ""),
    ("premiers-pas-avec-le-sigb", 16, (9, 30), (12, 30), BDVO, 8, 0, ""),
    ("premiers-pas-avec-le-sigb", 96, (9, 30), (12, 30), BDVO, 8, 0, ""),
    ("lire-a-voix-haute-aux-tout-petits", 55, (9, 30), (16, 30), CERGY, 12, 0, ""),
    (
        "construire-sa-politique-documentaire",
        62,
        (9, 30),
        (16, 30),
        BDVO,
        15,
        7,
        "deux journées à une semaine d'intervalle, 9h30-16h30",
    ),
]

# username, (slug, session index among that training's sessions), status
REGISTRATIONS = [
    ("gestionnaire", ("accueillir-les-publics", 0), Registration.Status.REGISTERED),
    ("consultant", ("accueillir-les-publics", 0), Registration.Status.REGISTERED),
    ("gestionnaire", ("kamishibai-raconter-avec-un-butai", 0), Registration.Status.REGISTERED),
    ("gestionnaire2", ("kamishibai-raconter-avec-un-butai", 0), Registration.Status.REGISTERED),
    ("consultant2", ("kamishibai-raconter-avec-un-butai", 0), Registration.Status.REGISTERED),
    ("consultant", ("kamishibai-raconter-avec-un-butai", 0), Registration.Status.WAITING),
    ("gestionnaire2", ("jeux-video-en-bibliotheque", 0), Registration.Status.REGISTERED),
    ("consultant2", ("jeux-video-en-bibliotheque", 0), Registration.Status.REGISTERED),
    ("consultant", ("jeux-video-en-bibliotheque", 0), Registration.Status.WAITING),
    ("gestionnaire", ("jeux-video-en-bibliotheque", 0), Registration.Status.WAITING),
    ("consultant", ("premiers-pas-avec-le-sigb", 0), Registration.Status.REGISTERED),
    ("gestionnaire2", ("construire-sa-politique-documentaire", 0), Registration.Status.REGISTERED),
]


def _at(day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(*hour_minute), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def load(stdout: TextIO) -> None:
    today = timezone.localdate()
    themes = {
        slug: Theme.objects.update_or_create(slug=slug, defaults={"name": name})[0] for slug, name in THEMES.items()
    }
    for slug, title, theme, audience, days, hours, trainers, summary, description, objectives in TRAININGS:
        Training.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "theme": themes[theme],
                "audience": audience,
                "duration_days": Decimal(days),
                "duration_hours": hours,
                "trainers": trainers,
                "summary": summary,
                "description": description,
                "objectives": objectives,
                "is_published": True,
            },
        )
    # Sessions are identified by (training, place, position in the programme): moving "today"
    # forward on a later run updates their dates instead of piling up new sessions.
    sessions: dict[tuple[str, int], TrainingSession] = {}
    for slug, offset, start, end, (place, address), capacity, extra_days, schedule in SESSIONS:
        training = Training.objects.get(slug=slug)
        index = sum(1 for key in sessions if key[0] == slug)
        day = today + datetime.timedelta(days=offset)
        existing = list(training.sessions.order_by("pk"))
        values = {
            "starts_at": _at(day, start),
            "ends_at": _at(day + datetime.timedelta(days=extra_days), end),
            "schedule": schedule,
            "place": place,
            "address": address,
            "capacity": capacity,
            "registration_deadline": day - datetime.timedelta(days=7),
            "status": TrainingSession.Status.OPEN,
        }
        if index < len(existing):
            session = existing[index]
            for name, value in values.items():
                setattr(session, name, value)
            session.save()
        else:
            session = TrainingSession.objects.create(training=training, **values)
        sessions[(slug, index)] = session

    for position, (username, key, status) in enumerate(REGISTRATIONS):
        user = User.objects.filter(username=username).select_related("library").first()
        if user is None or user.library is None:
            continue
        Registration.objects.all_libraries().get_or_create(
            session=sessions[key],
            user=user,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            defaults={
                "library": user.library,
                "status": status,
                "created_at": timezone.now() - datetime.timedelta(days=30 - position),
            },
        )

    library = Library.objects.filter(code="VDO-VIGNY").first()
    if (
        library is not None
        and not TraineeRequest.objects.all_libraries().filter(email="martine.leroy@example.fr").exists()
    ):
        trainee_request = TraineeRequest.objects.create(
            last_name="Leroy",
            first_name="Martine",
            postal_address="5 rue de la Mairie\n95450 Vigny",
            email="martine.leroy@example.fr",
            phone="06 12 34 56 78",
            library=library,
            employment_status=EmploymentStatus.VOLUNTEER,
            status=TraineeRequest.Status.PENDING,  # its author confirmed their address
            email_confirmed_at=timezone.now(),
        )
        trainee_request.sessions.set(
            [sessions[("accueillir-les-publics", 0)], sessions[("premiers-pas-avec-le-sigb", 0)]]
        )
    stdout.write(
        f"  {Training.objects.count()} formations, {TrainingSession.objects.count()} sessions, "
        f"{Registration.objects.all_libraries().count()} inscriptions, {TraineeRequest.objects.all_libraries().pending().count()} demande(s) à traiter"
    )
