"""The product's own words in books: byline, credits, notices, draft and outdated labels.

One entry per language the collective publishes in; any other language falls
back to English.  (Moving these into gettext catalogs of the product's own,
so that reviewers translate them like any article, is the next step.)
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {"outdated": "This translation was approved for an earlier version of the "
                       "paragraph; its review is pending.",
           "by": "By", "translators": "Translated by {names}", "source": "Original",
           "contents": "Contents", "collection": "Collected articles",
           "draft": "Unreviewed machine translation:",
           "notice": "Machine-drafted translation, reviewed by volunteers: {percent}% approved.",
           "a11y": "Text-only article with a table of contents and headings for navigation; "
                   "paragraphs not yet translated are marked with their own language."},
    "es": {"outdated": "Esta traducción se aprobó para una versión anterior del párrafo; su "
                       "revisión está pendiente.",
           "by": "Por", "translators": "Traducción: {names}", "source": "Original",
           "contents": "Índice", "collection": "Artículos reunidos",
           "draft": "Traducción automática sin revisar:",
           "notice": "Traducción preparada por máquina y revisada por voluntarios: {percent}% aprobada.",
           "a11y": "Artículo solo de texto con índice y encabezados para navegar; "
                   "los párrafos aún sin traducir llevan marcado su idioma."},
    "pt": {"outdated": "Esta tradução foi aprovada para uma versão anterior do parágrafo; a "
                       "revisão está pendente.",
           "by": "Por", "translators": "Tradução: {names}", "source": "Original",
           "contents": "Índice", "collection": "Artigos reunidos",
           "draft": "Tradução automática não revista:",
           "notice": "Tradução preparada por máquina e revista por voluntários: {percent}% aprovada.",
           "a11y": "Artigo só de texto com índice e títulos para navegação; "
                   "os parágrafos ainda por traduzir têm o seu idioma marcado."},
    "fr": {"outdated": "Cette traduction a été approuvée pour une version antérieure du "
                       "paragraphe ; sa relecture est en attente.",
           "by": "Par", "translators": "Traduction : {names}", "source": "Original",
           "contents": "Table des matières", "collection": "Articles réunis",
           "draft": "Traduction automatique non relue :",
           "notice": "Traduction préparée par machine et relue par des bénévoles : {percent} % approuvée.",
           "a11y": "Article textuel avec table des matières et intertitres pour la navigation ; "
                   "les paragraphes pas encore traduits sont marqués dans leur langue."},
    "ar": {"outdated": "اعتُمدت هذه الترجمة لنسخة سابقة من الفقرة؛ مراجعتها "
                       "معلّقة.",
           "by": "بقلم", "translators": "ترجمة: {names}", "source": "الأصل",
           "contents": "المحتويات", "collection": "مقالات مجمّعة",
           "draft": "ترجمة آلية غير مراجَعة:",
           "notice": "ترجمة أعدّتها الآلة وراجعها متطوعون: {percent}٪ معتمدة.",
           "a11y": "مقال نصي مع فهرس وعناوين للتنقل؛ الفقرات التي لم تُترجم بعد معلَّمة بلغتها."},
}


def labels_for(lang: str) -> dict[str, str]:
    return LABELS.get(lang.split("_")[0], LABELS["en"])
