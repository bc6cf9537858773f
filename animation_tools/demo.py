"""Demo data of the animation tools: types, ~20 tools with a technical sheet each, bookings.

Idempotent: types and tools are matched by slug, a technical sheet is written only when the
tool has none, and each demo booking is created (through the services, so every rule and
e-mail applies) only when its library has no booking of that tool yet. Dates are relative
to the day of loading.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone

from animation_tools import rules, services
from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolType
from extranet.models import Library, User

TYPES = [
    ("expositions", "Expositions", "Panneaux, kakémonos et vitrines pour installer une exposition dans vos murs.", 1),
    (
        "kamishibais",
        "Kamishibaïs",
        "Le petit théâtre de papier japonais : un butaï en bois et ses planches illustrées.",
        2,
    ),
    (
        "tapis-de-lecture",
        "Tapis de lecture et raconte-tapis",
        "Des décors en tissu, avec personnages et accessoires, pour raconter aux plus jeunes.",
        3,
    ),
    (
        "malles-thematiques",
        "Malles et valises thématiques",
        "Une sélection de livres et d'objets autour d'un thème, prête à animer.",
        4,
    ),
    (
        "jeux-video",
        "Packs jeux vidéo",
        "Consoles, manettes et jeux choisis pour des après-midi de jeu en bibliothèque.",
        5,
    ),
    ("materiel-numerique", "Matériel numérique", "Tablettes, liseuses, vidéoprojecteur, machine à badges…", 6),
]

# slug, type slug, name, audience, value, dimensions, weight (kg), crates, description
TOOLS = [
    (
        "expo-vexin-paysages-ecrivains",
        "expositions",
        "Exposition « Le Vexin, paysages d'écrivains »",
        "adults",
        "3200",
        "10 panneaux autoportants de 85 × 200 cm",
        "38",
        3,
        "De Daubigny à Van Gogh, et des poètes aux romanciers d'aujourd'hui : dix panneaux sur les écrivains et les artistes qui ont regardé le Vexin. Photographies, extraits de textes et carte des lieux.",
    ),
    (
        "expo-mangas-recit-japonais",
        "expositions",
        "Exposition « Mangas, l'art du récit japonais »",
        "teenagers",
        "6800",
        "14 panneaux de 100 × 200 cm et 2 vitrines",
        "120",
        6,
        "Histoire du manga, genres (shōnen, shōjo, seinen), fabrication d'une planche et lecture de droite à gauche. Deux vitrines présentent des originaux et des éditions rares : une convention de prêt est nécessaire.",
    ),
    (
        "expo-au-fil-de-l-oise",
        "expositions",
        "Exposition « Au fil de l'eau : l'Oise et ses rivières »",
        "all",
        "2400",
        "8 kakémonos de 80 × 200 cm",
        "16",
        2,
        "Faune, flore, moulins et métiers de la rivière : une exposition illustrée pour découvrir l'Oise, la Viosne et le Sausseron, avec un livret-jeu pour les familles.",
    ),
    (
        "expo-bestiaire-albums",
        "expositions",
        "Exposition « Bestiaire des albums jeunesse »",
        "children",
        "4100",
        "12 panneaux de 60 × 120 cm et un tapis",
        "45",
        4,
        "Loups, ours, souris et crocodiles : les animaux des albums racontés par les illustratrices et illustrateurs. Panneaux à hauteur d'enfant et jeux de reconnaissance.",
    ),
    (
        "kamishibai-contes-du-japon",
        "kamishibais",
        "Kamishibaï « Contes du Japon »",
        "children",
        "450",
        "Butaï en hêtre de 45 × 35 cm",
        "4",
        1,
        "Un butaï à trois volets et huit histoires traditionnelles japonaises (la grue reconnaissante, Momotaro…), avec un guide pour les conteuses et conteurs débutants.",
    ),
    (
        "kamishibai-histoires-de-la-foret",
        "kamishibais",
        "Kamishibaï « Petites histoires de la forêt »",
        "early_childhood",
        "380",
        "Butaï de 40 × 30 cm",
        "3",
        1,
        "Six histoires courtes pour les tout-petits, aux planches très colorées, autour des animaux de la forêt et des saisons.",
    ),
    (
        "raconte-tapis-roule-galette",
        "tapis-de-lecture",
        "Raconte-tapis « Roule galette »",
        "early_childhood",
        "1200",
        "Tapis de 150 × 200 cm, personnages en feutrine",
        "7",
        1,
        "Le conte de la galette qui s'échappe, mis en scène sur un grand tapis brodé : la maison, la forêt, le lapin, le loup, l'ours et le renard se manipulent pendant le récit.",
    ),
    (
        "tapis-de-lecture-la-ferme",
        "tapis-de-lecture",
        "Tapis de lecture « La ferme »",
        "early_childhood",
        "900",
        "Tapis de 120 × 160 cm et 10 albums",
        "6",
        1,
        "Un tapis à explorer avec ses poches, rabats et animaux à cacher, accompagné de dix albums sur la ferme pour les bébés lecteurs.",
    ),
    (
        "raconte-tapis-le-bonnet-rouge",
        "tapis-de-lecture",
        "Raconte-tapis « Le bonnet rouge »",
        "children",
        "1100",
        "Tapis de 140 × 180 cm",
        "6",
        1,
        "D'après l'album de Brigitte Weninger : un bonnet perdu dans la neige devient la maison des animaux de l'hiver. Décor en laine et personnages articulés.",
    ),
    (
        "malle-sciences-en-bulles",
        "malles-thematiques",
        "Malle « Sciences en bulles »",
        "children",
        "1500",
        "Malle de 80 × 50 × 50 cm",
        "25",
        1,
        "Quarante bandes dessinées documentaires, des expériences à faire en atelier (loupes, aimants, prismes) et des fiches d'animation pour la Fête de la science.",
    ),
    (
        "malle-premieres-pages",
        "malles-thematiques",
        "Malle « Premières pages »",
        "early_childhood",
        "800",
        "Malle de 60 × 40 × 40 cm",
        "15",
        1,
        "Livres en tissu, livres à toucher et comptines pour accueillir les familles et les assistantes maternelles, avec un tapis d'éveil.",
    ),
    (
        "valise-poesie-vagabonde",
        "malles-thematiques",
        "Valise « Poésie vagabonde »",
        "all",
        "600",
        "Valise de 55 × 40 × 20 cm",
        "9",
        1,
        "Recueils, poèmes-affiches et boîtes à mots pour le Printemps des poètes : de quoi installer une brigade d'intervention poétique dans la bibliothèque.",
    ),
    (
        "pack-jeux-video-switch",
        "jeux-video",
        "Pack jeux vidéo Nintendo Switch",
        "all",
        "5600",
        "2 caisses de transport renforcées",
        "18",
        2,
        "Quatre consoles, huit manettes, un écran de 32 pouces et une sélection de jeux coopératifs et familiaux (course, plateformes, danse). Convention de prêt nécessaire.",
    ),
    (
        "pack-jeux-video-ps5",
        "jeux-video",
        "Pack jeux vidéo PlayStation 5",
        "teenagers",
        "5900",
        "2 caisses de transport renforcées",
        "20",
        2,
        "Deux consoles, quatre manettes, un casque et des jeux PEGI 12 choisis pour des tournois entre adolescents. Convention de prêt nécessaire.",
    ),
    (
        "pack-retrogaming",
        "jeux-video",
        "Pack rétrogaming",
        "all",
        "2200",
        "1 caisse de 70 × 50 × 40 cm",
        "12",
        1,
        "Une borne compacte et des consoles des années 1980-1990 avec leurs jeux, pour faire jouer ensemble parents et enfants.",
    ),
    (
        "lot-tablettes",
        "materiel-numerique",
        "Lot de 8 tablettes",
        "all",
        "3600",
        "Valise de recharge de 50 × 40 × 20 cm",
        "11",
        1,
        "Huit tablettes tactiles avec applications de lecture, de dessin et de création d'histoires, dans une valise qui les recharge toutes ensemble.",
    ),
    (
        "lot-liseuses",
        "materiel-numerique",
        "Lot de 6 liseuses",
        "adults",
        "900",
        "Mallette de 40 × 30 × 10 cm",
        "3",
        1,
        "Six liseuses chargées de classiques libres de droits et un guide pour animer un atelier de découverte de la lecture numérique.",
    ),
    (
        "videoprojecteur-portable",
        "materiel-numerique",
        "Vidéoprojecteur portable et écran",
        "all",
        "1400",
        "Sacoche et écran enroulable de 2 m",
        "9",
        2,
        "Un vidéoprojecteur lumineux, un écran sur pied et les câbles pour vos projections, lectures numériques et présentations.",
    ),
    (
        "machine-a-badges",
        "materiel-numerique",
        "Machine à badges",
        "all",
        "350",
        "Mallette de 35 × 30 × 15 cm",
        "5",
        1,
        "Une presse à badges de 56 mm, un massicot circulaire et 300 badges à composer lors d'ateliers créatifs.",
    ),
    (
        "casques-realite-virtuelle",
        "materiel-numerique",
        "Casques de réalité virtuelle (lot de 4)",
        "teenagers",
        "2800",
        "Valise de 60 × 45 × 25 cm",
        "10",
        1,
        "Quatre casques autonomes avec des visites de musées, des documentaires et des jeux adaptés à partir de 13 ans.",
    ),
]


def technical_sheet_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF (Helvetica, WinAnsi) written by hand: no dependency needed."""

    def text(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", errors="replace").decode("latin-1")

    content_lines = ["BT", "/F1 16 Tf", "60 780 Td", f"({text(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        content_lines += [f"({text(line)}) Tj", "0 -16 Td"]
    content_lines.append("ET")
    stream = "\n".join(content_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(output)


def _sheet_lines(tool: Tool) -> list[str]:
    return [
        f"Type : {tool.type.name}",
        f"Public : {tool.get_audience_display()}",
        f"Valeur d'assurance : {tool.value} EUR",
        f"Encombrement : {tool.dimensions}",
        f"Poids : {tool.weight_kg} kg - caisses : {tool.crates}",
        "",
        "Installation : prévoir un espace couvert, surveillé et accessible.",
        "Vérifiez le contenu à la livraison et au départ avec la liste jointe.",
        "Tout dommage est signalé à la BDVO le jour même.",
        "Bibliothèque départementale du Val-d'Oise - bdvo@valdoise.fr",
    ]


def _catalogue(stdout: TextIO) -> dict[str, Tool]:
    types = {}
    for slug, name, description, order in TYPES:
        types[slug], _ = ToolType.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    tools = {}
    for slug, type_slug, name, audience, value, dimensions, weight, crates, description in TOOLS:
        tool, _ = Tool.objects.update_or_create(
            slug=slug,
            defaults={
                "type": types[type_slug], "name": name, "audience": audience, "value": Decimal(value),
                "dimensions": dimensions, "weight_kg": Decimal(weight), "crates": crates, "description": description,
            },
        )  # fmt: skip
        if not tool.sheets.exists():
            sheet = TechnicalSheet(tool=tool, title=f"Fiche technique — {name}")
            sheet.file.save(f"fiche-{slug}.pdf", ContentFile(technical_sheet_pdf(name, _sheet_lines(tool))), save=True)
        tools[slug] = tool
    stdout.write(f"  {len(types)} types d'outils, {len(tools)} outils avec leur fiche technique")
    return tools


# library code, tool slug, loan in days from today, length in days, final status, account
BOOKINGS = [
    ("VDO-MARINES", "raconte-tapis-roule-galette", 10, 14, "validated", "gestionnaire"),
    ("VDO-MARINES", "kamishibai-contes-du-japon", 20, 14, "requested", "gestionnaire"),
    ("VDO-MARINES", "expo-mangas-recit-japonais", 40, 21, "requested", "gestionnaire"),
    ("VDO-MARINES", "machine-a-badges", -60, 15, "checked", "admin"),
    ("VDO-MARINES", "lot-liseuses", -20, 17, "returned", "admin"),
    ("VDO-GOUSSAINVILLE", "pack-jeux-video-switch", 35, 14, "validated", "gestionnaire2"),
    ("VDO-GOUSSAINVILLE", "lot-tablettes", -5, 14, "out", "admin"),
    ("VDO-GOUSSAINVILLE", "valise-poesie-vagabonde", 15, 10, "cancelled", "gestionnaire2"),
    ("VDO-VIGNY", "kamishibai-histoires-de-la-foret", 12, 10, "refused", "admin"),
    ("VDO-CHARS", "expo-vexin-paysages-ecrivains", 3, 14, "validated", "admin"),
]

# Bookings whose library collects and brings back the tool itself (BDVO open days, no navette).
SELF_COLLECT = {("VDO-MARINES", "kamishibai-contes-du-japon")}


def _first_possible_day(library: Library, day: datetime.date, *, self_collect: bool) -> datetime.date:
    """``day`` or the next day a tool may leave or come back for ``library`` (``day`` when none is
    planned within a year)."""
    days = rules.possible_days(library, day, day + datetime.timedelta(days=365), self_collect=self_collect)
    return days[0] if days else day


WORKFLOW = {
    "requested": [],
    "validated": ["validate"],
    "refused": ["refuse"],
    "cancelled": ["cancel"],
    "out": ["validate", "convention", "out"],
    "returned": ["validate", "convention", "out", "returned"],
    "checked": ["validate", "convention", "out", "returned", "checked"],
}


def _bookings(stdout: TextIO, tools: dict[str, Tool]) -> None:
    staff = User.objects.filter(username="admin").first()
    if staff is None:
        stdout.write("  (pas de compte « admin » : pré-réservations de démonstration non créées)")
        return
    today = timezone.localdate()
    created = 0
    for code, slug, start, length, status, username in BOOKINGS:
        library = Library.objects.filter(code=code).first()
        user = User.objects.filter(username=username).first()
        tool = tools[slug]
        if library is None or user is None or ToolBooking.objects.for_library(library).filter(tool=tool).exists():
            continue
        self_collect = (code, slug) in SELF_COLLECT
        loan_date = _first_possible_day(library, today + datetime.timedelta(days=start), self_collect=self_collect)
        return_date = _first_possible_day(
            library, loan_date + datetime.timedelta(days=length), self_collect=self_collect
        )
        # Bookings too close (or in the past) were agreed on the phone: staff set the lead time aside.
        verdict = rules.check_booking(
            tool=tool, library=library, loan_date=loan_date, return_date=return_date, today=today,
            self_collect=self_collect,
        )  # fmt: skip
        needs_override = rules.LEAD_TIME in {refusal.rule for refusal in verdict.refusals}
        if needs_override:
            user = staff  # only staff may set a rule aside
        booking = services.booking_request(
            tool=tool, library=library, user=user, loan_date=loan_date, return_date=return_date,
            self_collect=self_collect,
            override_reason="Prêt convenu par téléphone avec la BDVO (saisie après coup)." if needs_override else "",
        )  # fmt: skip
        for step in WORKFLOW[status]:
            if step == "validate":
                booking = services.booking_validate(booking=booking, user=staff)
            elif step == "refuse":
                booking = services.booking_refuse(
                    booking=booking,
                    user=staff,
                    reason="L'outil part en restauration à ces dates ; nous vous proposons le kamishibaï « Contes du Japon ».",
                )
            elif step == "cancel":
                booking = services.booking_cancel(booking=booking, user=user)
            elif step == "convention" and booking.convention_required:
                booking = services.booking_record_convention(
                    booking=booking, user=staff, returned_on=loan_date - datetime.timedelta(days=10)
                )
            elif step == "out":
                booking = services.booking_mark_out(booking=booking, user=staff)
            elif step == "returned":
                booking = services.booking_mark_returned(booking=booking, user=staff)
            elif step == "checked":
                booking = services.booking_mark_checked(booking=booking, user=staff)
        created += 1
    goussainville_switch = (
        ToolBooking.objects.all_libraries()
        .filter(library__code="VDO-GOUSSAINVILLE", tool__slug="pack-jeux-video-switch")
        .first()
    )
    if (
        goussainville_switch
        and goussainville_switch.convention_required
        and not goussainville_switch.convention_returned_on
    ):
        services.booking_record_convention(booking=goussainville_switch, user=staff, returned_on=today)
    stdout.write(f", {created} pré-réservations créées")


def load(stdout: TextIO) -> None:
    tools = _catalogue(stdout)
    _bookings(stdout, tools)
