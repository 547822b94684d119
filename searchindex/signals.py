"""A synonym changed: what it pointed at before and what it points at now are indexed again."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import index
from .models import Synonym


@receiver(pre_save, sender=Synonym)
def remember_previous(sender, instance, **kwargs):
    previous = Synonym.objects.filter(pk=instance.pk).values_list("words", "means").first() if instance.pk else None
    instance._previous = previous or ()


@receiver(post_save, sender=Synonym)
def synonym_saved(sender, instance, **kwargs):
    index.reindex_names(*getattr(instance, "_previous", ()), instance.words, instance.means)


@receiver(post_delete, sender=Synonym)
def synonym_deleted(sender, instance, **kwargs):
    index.reindex_names(instance.words, instance.means)
