"""The shipped rules, in the one table that orders them.

They run in this order, each seeing what the ones before took: on an HTML page the extractor's
decision first (page), then a line's own form (lines),
then the document's structure (structure), its topic (topic), the region around the article
(region), and last the learned block model on what every other rule left (model). A rule's policy
(guarded, anchored, on_extracted_html, ...) is declared on its class; see cleaners.registry.Rule.
"""

from ..registry import register
from .lines import (
    AccessNotice,
    AdvertisingMarker,
    Breadcrumb,
    CommentsForm,
    CookieNotice,
    DisclaimerPhrases,
    FragmentDebris,
    MediaCredit,
    NavigationPhrases,
    SeeAlsoLine,
    ServerErrorLeak,
    SocialWidgets,
)
from .model import CommentsBlockModel, NavigationBlockModel, RelatedBlockModel
from .page import ExtractorLeftOut
from .region import (
    DatedHeadlines,
    LegalFooter,
    LinkLinesAroundArticle,
    PageAroundArticle,
    RepeatedLine,
    SitePromo,
    TeasersAfterArticle,
)
from .structure import (
    AuthorAbout,
    AuthorTagline,
    CommentSignature,
    CommentsSection,
    DuplicateLine,
    ForeignScriptDateline,
    MenuRun,
    RelatedSection,
)
from .topic import TeaserList, TrailingStory

RULES = (
    ExtractorLeftOut,
    ServerErrorLeak,
    DisclaimerPhrases,
    CommentsForm,
    CookieNotice,
    AccessNotice,
    SocialWidgets,
    AdvertisingMarker,
    Breadcrumb,
    NavigationPhrases,
    SeeAlsoLine,
    MediaCredit,
    FragmentDebris,
    RelatedSection,
    CommentsSection,
    CommentSignature,
    AuthorAbout,
    AuthorTagline,
    ForeignScriptDateline,
    DatedHeadlines,
    MenuRun,
    DuplicateLine,
    TrailingStory,
    TeaserList,
    RepeatedLine,
    LegalFooter,
    SitePromo,
    PageAroundArticle,
    TeasersAfterArticle,
    LinkLinesAroundArticle,
    NavigationBlockModel,
    CommentsBlockModel,
    RelatedBlockModel,
)

register(RULES)
