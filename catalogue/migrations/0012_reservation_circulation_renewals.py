"""Reservations meet circulation (issue 16); loans can be renewed.

Reservation statuses become « En attente » / « Mise de côté » / « Livrée » / « Annulée ».
The former « Disponible » (``available``) meant that staff had set a copy aside by hand
without recording which one: those rows become « Mise de côté » (``set_aside``) without an
item and without a navette date, ``set_aside_at`` taken from ``status_changed_at``. Lending
any item of the title to the library fulfils them (``catalogue.services.circulation``), and
staff may still cancel them. « Satisfaite » keeps its code (``fulfilled``) as « Livrée »;
reservations fulfilled before this migration have no ``loan``. Going back turns
``set_aside`` into ``available`` again (reservations and items).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def set_aside_from_available(apps, schema_editor):
    Reservation = apps.get_model("catalogue", "Reservation")
    for reservation in Reservation.objects.filter(status="available"):
        reservation.status = "set_aside"
        reservation.set_aside_at = reservation.status_changed_at
        reservation.save(update_fields=["status", "set_aside_at"])


def available_from_set_aside(apps, schema_editor):
    Reservation = apps.get_model("catalogue", "Reservation")
    Item = apps.get_model("catalogue", "Item")
    Reservation.objects.filter(status="set_aside").update(status="available", item=None, delivery_on=None)
    Item.objects.filter(status="set_aside").update(status="available")


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0011_export_profiles'),
        ('extranet', '0003_exportjob'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LoanRenewal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Demandée'), ('granted', 'Accordée'), ('refused', 'Refusée')], default='pending', max_length=10, verbose_name='statut')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='demandée le')),
                ('previous_due_on', models.DateField(verbose_name='retour prévu avant la prolongation')),
                ('new_due_on', models.DateField(blank=True, null=True, verbose_name='nouveau retour prévu')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='décidée le')),
                ('refusal_reason', models.CharField(blank=True, max_length=255, verbose_name='motif du refus')),
            ],
            options={
                'verbose_name': 'prolongation',
                'verbose_name_plural': 'prolongations',
                'ordering': ['-requested_at', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='reservation',
            name='reservation_one_active_per_library_record',
        ),
        migrations.AddField(
            model_name='loan',
            name='renewal_count',
            field=models.PositiveSmallIntegerField(default=0, help_text='Nombre de prolongations accordées (voir LOAN_MAX_RENEWALS).', verbose_name='prolongations'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='cancellation_reason',
            field=models.CharField(blank=True, max_length=255, verbose_name="motif d'annulation"),
        ),
        migrations.AddField(
            model_name='reservation',
            name='cancelled_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='annulée le'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='delivery_on',
            field=models.DateField(blank=True, help_text="La tournée de navette qui apporte l'exemplaire.", null=True, verbose_name='navette prévue le'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='fulfilled_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='livrée le'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='item',
            field=models.ForeignKey(blank=True, help_text="L'exemplaire mis de côté pour la bibliothèque, puis celui qui lui a été prêté.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reservations', to='catalogue.item', verbose_name='exemplaire'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='loan',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reservation', to='catalogue.loan', verbose_name='prêt'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='set_aside_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='mise de côté le'),
        ),
        migrations.AlterField(
            model_name='item',
            name='status',
            field=models.CharField(choices=[('available', 'Disponible'), ('on_loan', 'En prêt'), ('set_aside', 'Mis de côté'), ('processing', 'En traitement'), ('lost', 'Perdu'), ('withdrawn', 'Retiré')], db_index=True, default='available', max_length=12, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='reservation',
            name='status',
            field=models.CharField(choices=[('pending', 'En attente'), ('set_aside', 'Mise de côté'), ('fulfilled', 'Livrée'), ('cancelled', 'Annulée')], db_index=True, default='pending', max_length=10, verbose_name='statut'),
        ),
        migrations.RunPython(set_aside_from_available, available_from_set_aside),
        migrations.AddIndex(
            model_name='reservation',
            index=models.Index(fields=['record', 'status', 'created_at'], name='reservation_queue'),
        ),
        migrations.AddConstraint(
            model_name='reservation',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'set_aside'])), fields=('record', 'library'), name='reservation_one_active_per_library_record', violation_error_message='Votre bibliothèque a déjà une réservation en cours pour ce document.'),
        ),
        migrations.AddConstraint(
            model_name='reservation',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'set_aside')), fields=('item',), name='reservation_item_set_aside_once', violation_error_message='Cet exemplaire est déjà mis de côté pour une autre réservation.'),
        ),
        migrations.AddField(
            model_name='loanrenewal',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='décidée par'),
        ),
        migrations.AddField(
            model_name='loanrenewal',
            name='loan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='renewals', to='catalogue.loan', verbose_name='prêt'),
        ),
        migrations.AddField(
            model_name='loanrenewal',
            name='requested_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='demandée par'),
        ),
        migrations.AddConstraint(
            model_name='loanrenewal',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('loan',), name='loan_renewal_one_pending_per_loan', violation_error_message='Une demande de prolongation de ce prêt attend déjà la réponse de la BDVO.'),
        ),
    ]
