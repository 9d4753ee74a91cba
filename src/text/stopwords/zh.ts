/**
 * Chinese stopwords: particles, pronouns, conjunctions, prepositions and
 * measure words (after the common HIT / Baidu lists). Negators (不 没 没有 别
 * 未 无 非) and degree adverbs (很 非常 太 最) are deliberately NOT here — they
 * carry sentiment; {@link ZH_STOPWORDS_TOPICS} drops them for topic models.
 */
export const ZH_STOPWORDS: ReadonlySet<string> = new Set(`
的 了 是 在 我 有 和 就 人 都 一 一个 上 也 到 说 要 去 你 会 着 看 自己 这 那 她 他 它 们 我们 你们 他们 她们 它们 咱们
之 与 及 而 且 或 或者 并 并且 但 但是 可是 然而 而且 因为 所以 如果 虽然 即使 只是 于是 然后 以及 以 为 为了 对 对于 关于 把 被 让 给
从 向 往 于 由 跟 同 比 按 按照 根据 通过 除了 等 等等 啊 吧 呢 吗 呀 哦 哈 嘛 啦 么 哟 嗯 呗 喔 噢 哇 唉
这个 那个 这些 那些 这样 那样 这里 那里 这么 那么 这种 那种 什么 怎么 怎样 哪 哪里 哪个 谁 某 各 每 其 其他 其它 其中 另 另外
个 些 种 次 件 本 台 块 条 位 只 点 下 里 中 内 外 前 后 时 时候 地 得 所 者 之后 之前 以后 以前 已经 曾经 正在 将 将要 就是 还是 还有 也是
可以 能 能够 可能 应该 需要 觉得 感觉 认为 知道 一下 一些 一样 一直 一起 一定 一般 有点 有些 有的 没什么 东西 时间 今天 昨天 现在 当时
又 再 才 都是 就是 只有 还 更是 而已 罢了 嘛 呃 啊啊 哈哈 哈哈哈 呵呵 嘿嘿 ～ ~ 。 ， 、 ！ ？ ； ： “ ” ‘ ’ （ ） 《 》 【 】 … — · . , ! ? ; : " ' ( )
`.trim().split(/\s+/));

/** Stopwords for Chinese topic models: {@link ZH_STOPWORDS} plus negators, degree adverbs and shopping boilerplate. */
export const ZH_STOPWORDS_TOPICS: ReadonlySet<string> = new Set([
  ...ZH_STOPWORDS,
  ...`不 没 没有 别 未 无 非 很 非常 太 最 比较 挺 真 真的 特别 十分 相当 好 还 不错 买 购买 京东 淘宝 卖家 商品 东西 觉得 感觉 就 也 都 还是 已经 一个 这个 那个`.trim().split(/\s+/),
]);
