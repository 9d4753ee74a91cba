import { EN_LEXICON } from "../lexicon-en";

/**
 * English stopwords: function words with no topic or sentiment content
 * (based on the usual NLTK / Glasgow lists). Negations (not, no, nor, never,
 * n't forms, without) and intensifiers (very, too, so) are deliberately NOT
 * here — they carry sentiment; use {@link EN_STOPWORDS_TOPICS} for topic
 * models, which also drops them.
 */
export const EN_STOPWORDS: ReadonlySet<string> = new Set(`
a about above after again against all am an and any are aren't as at be because been before being below between both but by
can could couldn't did do does doing down during each few for from further had has have having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is it it's its itself let's me more most my myself
of off on once only or other ought our ours ourselves out over own same she she'd she'll she's should so some such than that
that's the their theirs them themselves then there there's these they they'd they'll they're they've this those through to
under until up us was we we'd we'll we're we've were what what's when when's where where's which while who who's whom why
why's will with would you you'd you'll you're you've your yours yourself yourselves
im ive id youre dont doesnt didnt isnt wasnt arent werent cant couldnt wouldnt shouldnt wont hasnt havent hadnt
also just still even got get gets getting go goes going went gone make makes made one two three s t d ll m re ve y
`.trim().split(/\s+/).filter((w) => !/^(aren't|couldn't|dont|doesnt|didnt|isnt|wasnt|arent|werent|cant|couldnt|wouldnt|shouldnt|wont|hasnt|havent|hadnt)$/.test(w)));

/**
 * scikit-learn's `ENGLISH_STOP_WORDS` (318 words, from the Glasgow Information Retrieval Group's list; BSD-3),
 * word for word as `sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`.
 * @example EN_STOPWORDS_SKLEARN.has("whereupon"); // true
 */
export const EN_STOPWORDS_SKLEARN: ReadonlySet<string> = new Set(`
a about above across after afterwards again against all almost alone along already also although always am among
amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back be became
because become becomes becoming been before beforehand behind being below beside besides between beyond bill both
bottom but by call can cannot cant co con could couldnt cry de describe detail do done down due during each eg eight
either eleven else elsewhere empty enough etc even ever every everyone everything everywhere except few fifteen fifty
fill find fire first five for former formerly forty found four from front full further get give go had has hasnt have
he hence her here hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in inc
indeed interest into is it its itself keep last latter latterly least less ltd made many may me meanwhile might mill
mine more moreover most mostly move much must my myself name namely neither never nevertheless next nine no nobody
none noone nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves
out over own part per perhaps please put rather re same see seem seemed seeming seems serious several she should show
side since sincere six sixty so some somehow someone something sometime sometimes somewhere still such system take ten
than that the their them themselves then thence there thereafter thereby therefore therein thereupon these they thick
thin third this those though three through throughout thru thus to together too top toward towards twelve twenty two
un under until up upon us very via was we well were what whatever when whence whenever where whereafter whereas
whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with within
without would yet you your yours yourself yourselves
`.trim().split(/\s+/));

/**
 * Stopwords for topic modelling: {@link EN_STOPWORDS} and {@link EN_STOPWORDS_SKLEARN}, plus negations,
 * intensifiers and review boilerplate ("really", "bought", "ordered") that appear in every topic, plus the strong
 * opinion words of custlab's sentiment lexicon (|valence| ≥ 2.5 on VADER's scale: "love", "perfect", "great",
 * "beautiful", "gorgeous", "compliments"…). Topics then group reviews by what they talk about, not by how much the
 * writer liked it (which the sentiment model measures, and {@link topicSentiment} joins to the topics); weaker
 * evaluative words that name an aspect ("quality", "comfortable", "soft", "cheap") are kept.
 */
export const EN_STOPWORDS_TOPICS: ReadonlySet<string> = new Set([
  ...EN_STOPWORDS,
  ...EN_STOPWORDS_SKLEARN,
  ...`not no nor never don't doesn't didn't isn't wasn't aren't weren't can't cannot couldn't won't wouldn't shouldn't hasn't haven't hadn't
  dont doesnt didnt isnt wasnt arent werent cant couldnt wouldnt shouldnt wont hasnt havent hadnt
  very too really quite much many lot lots bit little well way thing things something anything everything
  would could should might must may will shall just like also though although however yet else ever every
  bought buy ordered order purchased purchase item product review received recommend wear wearing wore
  it's i'm i've i'd that's there's what's let's`.trim().split(/\s+/),
  ...[...EN_LEXICON].filter(([w, v]) => Math.abs(v) >= 2.5 && /^[a-z']+$/.test(w)).map(([w]) => w),
]);
