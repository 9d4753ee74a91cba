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
 * Stopwords for topic modelling: {@link EN_STOPWORDS} plus negations,
 * intensifiers and review boilerplate ("really", "bought", "ordered") that
 * appear in every topic.
 */
export const EN_STOPWORDS_TOPICS: ReadonlySet<string> = new Set([
  ...EN_STOPWORDS,
  ...`not no nor never don't doesn't didn't isn't wasn't aren't weren't can't cannot couldn't won't wouldn't shouldn't hasn't haven't hadn't
  dont doesnt didnt isnt wasnt arent werent cant couldnt wouldnt shouldnt wont hasnt havent hadnt
  very too really quite much many lot lots bit little well way thing things something anything everything
  would could should might must may will shall just like also though although however yet else ever every
  bought buy ordered order purchased purchase item product review received recommend wear wearing wore
  it's i'm i've i'd that's there's what's let's`.trim().split(/\s+/),
]);
