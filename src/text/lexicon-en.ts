/**
 * An English sentiment lexicon in VADER's valence scale (−4 … +4), written for
 * custlab: general opinion words, emoticons/emojis, and e-commerce / apparel
 * review vocabulary (fit, fabric, quality, delivery, returns). Words are
 * lower-case; multi-word entries are not used (phrases are handled by the
 * scorer's rules: negation, boosters, "but", "kind of", "at least").
 */

const GROUPS: [number, string][] = [
  [3.4, `love loved loves loving adore adored adores perfect perfectly perfection flawless amazing amazingly awesome fantastic fabulous gorgeous stunning outstanding superb excellent exceptional phenomenal incredible magnificent marvelous marvellous spectacular wonderful wonderfully brilliant breathtaking heavenly divine exquisite masterpiece best obsessed ecstatic thrilled delighted delightful 😍 🥰 ❤ ❤️ 💕 💖 😻`],
  [2.8, `beautiful beautifully great greatest lovely favorite favourite favorites happy happiest glad joy joyful excited exciting impressive impressed elegant chic classy luxurious luxury stylish fashionable sexy flattering superior terrific fun dreamy charming enjoy enjoyed enjoying recommend recommended recommending highly-recommend must-have steal bargain pleased satisfied satisfying compliments complimented 😀 😃 😄 😁 😊 👍 🙂 ✨ 🔥 🎉 💯 👌 ☺️`],
  [2.2, `good nice pretty cute comfortable comfy soft cozy cosy versatile classic timeless quality well-made sturdy durable solid sleek polished refined graceful feminine fresh cool neat lightweight breathable silky smooth flowy drapes drape draping slimming figure-flattering true-to-size fits fitted tailored crisp vibrant rich lush recommendable worth worthwhile valuable helpful useful reliable fast quick prompt efficient friendly kind polite pleasant enjoyable appealing attractive adorable sweet lucky win winner wins keeper keepers staple perfect-fit hit easy effortless convenient accurate exact`],
  [1.6, `like liked likes fine okay ok decent fair reasonable reasonably affordable cheapest inexpensive flatter flatters flattered suits suited suit works worked happy-with glad-i better improved improvement pleasantly surprised surprise nicely properly correct clean warm generous roomy stretchy stretch forgiving modest professional casual relaxed easygoing appropriate safe secure sure interesting unique different special thoughtful careful smart clever creative bright colorful colourful vivid cheerful calm gentle`],
  [0.9, `fit ok-ish adequate acceptable alright passable sufficient average standard normal usual simple basic plain functional serviceable wearable practical reasonable-price returnable exchange exchanged`],
  [-0.9, `meh odd weird strange unusual awkward bulky heavy stiff thick thin flimsy boxy baggy loose tight snug short long wide narrow shapeless sheer see-through transparent wrinkle wrinkles wrinkled wrinkly clingy boring bland dull plain-looking overpriced pricey expensive costly slow late delayed delay mixed confusing confused unclear complicated unsure doubt doubtful hesitant hesitate tricky`],
  [-1.5, `disappoint disappointing disappointed disappointment unflattering unfortunately unfortunate sadly bad badly poor poorly cheap cheaply cheap-looking itchy scratchy rough coarse stiffer pilled pilling pills fuzz frayed fraying unravel unraveled unraveling snag snagged snags shrank shrunk shrink shrinks shrinking faded fade fades fading stain stained stains smell smells smelly odor damaged defective broken broke ripped rip rips tear torn hole holes loose-threads missing wrong incorrect mistake error problem problems issue issues flaw flawed flaws frumpy dowdy matronly sloppy unwearable uncomfortable irritating annoying annoyed frustrating frustrated frustration complain complaint complaints return returned returning returns refund refunded sent-back unhappy sad upset sorry regret regrets regretted tent tent-like shapeless unattractive unfortunately mediocre lacking lacks lack subpar inferior`],
  [-2.2, `hate hated hates ugly awful terrible terribly horrible horribly horrid hideous disgusting gross nasty worst waste wasted useless worthless garbage trash junk rubbish crap crappy fake scam ripoff rip-off fraud lie lied lies liar rude nightmare disaster disastrous pathetic ridiculous absurd unacceptable unusable unwearable ruined ruin ruins fell-apart falling-apart appalling atrocious dreadful miserable furious angry anger mad outraged shame shameful embarrassing embarrassed insulting insult never-again 😡 😠 🤬 👎 😞 😢 😭 😒 🙁 ☹️ 💩 🤮`],
  [-3.0, `abysmal abomination catastrophe catastrophic despise despised detest horrendous horrific vile deplorable unbearable intolerable excruciating loathe loathed`],
];

/** Word → valence (−4 … +4), VADER's scale. */
export const EN_LEXICON: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [v, words] of GROUPS) for (const w of words.trim().split(/\s+/)) if (!m.has(w)) m.set(w, v);
  return m;
})();

/** Boosters (+) and dampeners (−): added to a following sentiment word's |valence| (VADER's B_INCR = 0.293). */
export const EN_BOOSTERS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const w of `absolutely amazingly awfully completely considerably decidedly deeply enormously entirely especially exceptionally extremely
    fabulously fully greatly highly hugely incredibly intensely majorly more most particularly purely quite really remarkably so substantially
    super thoroughly totally tremendously unbelievably unusually utterly very insanely ridiculously seriously truly definitely`.trim().split(/\s+/)) m.set(w, 0.293);
  for (const w of `almost barely hardly kinda less little marginally occasionally partly scarcely slightly somewhat sorta bit`.trim().split(/\s+/)) m.set(w, -0.293);
  return m;
})();

/** Negation cues (VADER's NEGATE list, plus n't forms). */
export const EN_NEGATE: ReadonlySet<string> = new Set(`aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't doesn't
  dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't neednt needn't never none nope nor not
  nothing nowhere oughtnt shant shouldnt uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't wouldn't rarely seldom despite no`.trim().split(/\s+/));
