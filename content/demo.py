"""Demo data of the content app: the BDVO help pages and a few agenda events (idempotent)."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from content.models import Event, Page

HELP_PAGES = [
    (
        "comment-me-connecter",
        "Comment me connecter ?",
        "Chaque personne a son propre compte, rattaché à sa bibliothèque.",
        """Le portail n'utilise pas de carte de lecteur : chaque bibliothécaire, salarié·e ou bénévole, a un compte personnel rattaché à sa bibliothèque. Un compte ne se partage pas.

Votre compte est créé par votre référent·e de territoire ou par un·e Gestionnaire de votre bibliothèque. Vous recevez alors un e-mail avec un lien pour choisir votre mot de passe.

Pour vous connecter, cliquez sur « Se connecter » en haut de la page et saisissez votre identifiant et votre mot de passe. Si vous l'avez oublié, suivez le lien « Mot de passe oublié » : un nouveau lien vous est envoyé par e-mail.

Une fois connecté·e, votre nom apparaît en haut de la page. Il ouvre un menu avec « Accéder à l'espace professionnel », où vous retrouvez les prêts, retours et réservations de votre bibliothèque.""",
    ),
    (
        "comment-reserver-un-document",
        "Comment réserver un document ?",
        "Depuis une notice du catalogue, en deux clics.",
        """Cherchez le document avec la barre de recherche en haut de chaque page, en choisissant « Catalogue » ou « Partout ». Affinez si besoin avec les facettes : type de document, auteur, sujet, langue, période, public, disponibilité.

Ouvrez la notice du document puis cliquez sur « Réserver ». Une fenêtre de confirmation s'ouvre : cliquez sur le second bouton « Réserver ». Le message « Votre demande de réservation a bien été enregistrée » confirme la demande.

Seul un compte au profil Gestionnaire peut réserver. Une bibliothèque ne peut avoir qu'une réservation en cours pour un même document.

Vos réservations apparaissent dans l'espace professionnel, rubrique « Réservations », triables par date. Pour en supprimer une, cochez sa ligne puis cliquez sur « Supprimer ».""",
    ),
    (
        "comment-exporter-mes-prets-vers-mon-sigb",
        "Comment exporter mes prêts vers mon SIGB ?",
        "Récupérer les notices des documents prêtés au format ISO 2709.",
        """Dans l'espace professionnel, ouvrez « Prêts en cours ». Filtrez sur la date de prêt qui vous intéresse ; trier par date décroissante aide à retrouver le dernier passage de la navette.

Cochez les prêts à exporter, cliquez sur « Exporter » puis choisissez le format ISO 2709. Le fichier contient les notices UNIMARC avec les exemplaires en zone 995.

Importez ensuite ce fichier dans votre logiciel de bibliothèque (Koha, PMB, Orphée, Decalog…) avec sa fonction d'import de notices : les exemplaires y sont créés avec leur code-barres et leur cote.""",
    ),
    (
        "comment-pre-reserver-un-outil-d-animation",
        "Comment pré-réserver un outil d'animation ?",
        "Expositions, kamishibaïs, tapis de lecture, jeux : les règles à connaître.",
        """Ouvrez la page « Outils d'animation », section « Pré-réservez un outil d'animation ». Les outils sont classés par type ; « Tout voir » affiche tous ceux d'un type.

Sur la page d'un outil, cliquez sur « Réserver », puis « Ouvrir le calendrier », choisissez les dates de prêt et de retour et confirmez avec « Réserver ».

La demande doit arriver au moins 7 jours avant la date de prêt, et un mois avant si une convention est nécessaire. Une convention est demandée quand l'outil vaut plus de 5 000 €, ou quand plusieurs outils empruntés en même temps dépassent ensemble ce montant.

Un outil revient toujours à la BDVO pour être vérifié avant d'être prêté de nouveau. Les dates validées sont celles que suit la navette ; elles sont affichées dans l'espace professionnel. Les fiches techniques se téléchargent depuis la page de chaque outil.""",
    ),
    (
        "s-inscrire-a-une-formation",
        "S'inscrire à une formation",
        "Catalogue des formations et première inscription.",
        """La page « Formations » présente les formations de la BDVO et leurs prochaines sessions, sous « Prochaines formations et inscriptions ».

Si vous avez déjà un compte sur le portail, connectez-vous et inscrivez-vous directement à la session choisie.

Si vous n'avez jamais suivi de formation avec la BDVO, remplissez le formulaire de première inscription : nom, prénom, adresse postale, e-mail, téléphone, structure employeuse et statut (catégorie A, B, C, contractuel·le, bénévole…), ainsi que les sessions souhaitées. Votre référent·e de territoire confirme la demande et votre compte est créé : le même compte sert ensuite pour tout le portail.""",
    ),
]

EVENTS = [
    (
        "Journée professionnelle : la littérature jeunesse en 2027",
        45,
        "Auditorium de la BDVO, Saint-Ouen-l'Aumône",
        "Présentation des nouveautés jeunesse de l'année, rencontre avec deux autrices et ateliers de présentation d'albums. Ouvert aux salarié·es et bénévoles du réseau.",
    ),
    (
        "Rencontre du réseau Vexin français",
        20,
        "Médiathèque de Marines",
        "Échanges entre bibliothèques du territoire : circulation des documents par la navette, animations partagées, projets de l'année.",
    ),
    (
        "Atelier kamishibaï : raconter avec le butaï",
        30,
        "Médiathèque de Goussainville",
        "Prise en main des kamishibaïs prêtés par la BDVO : choisir une histoire, manipuler le butaï, préparer une séance pour les tout-petits.",
    ),
    (
        "Présentation des jeux vidéo du fonds BDVO",
        60,
        "BDVO, Saint-Ouen-l'Aumône",
        "Découverte des packs consoles et manettes et des jeux vidéo disponibles au prêt, conseils pour organiser un tournoi en bibliothèque.",
    ),
]


def load(stdout: TextIO) -> None:
    for position, (slug, title, summary, body) in enumerate(HELP_PAGES):
        Page.objects.update_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "body": body, "position": position}
        )
    today = timezone.localdate()
    for title, days_ahead, place, description in EVENTS:
        start = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days_ahead), datetime.time(9, 30))
        )
        if not Event.objects.filter(title=title).exists():
            Event.objects.create(
                title=title,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=7),
                place=place,
                description=description,
            )
    stdout.write(f"  {len(HELP_PAGES)} pages d'aide, {len(EVENTS)} événements")
