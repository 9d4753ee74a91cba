/**
 * A Chinese sentiment lexicon for shopping reviews, written for custlab
 * (weights on VADER's −4 … +4 scale): opinion words, product / delivery /
 * service vocabulary (质量, 物流, 客服, 正品, 退货), colloquial net words
 * (给力, 坑爹, 垃圾), plus negators and degree adverbs for the scorer.
 */

const GROUPS: [number, string][] = [
  [3.2, `完美 超赞 太棒 很棒 非常好 特别好 好极了 极好 绝佳 一流 顶级 惊艳 惊喜 超值 物超所值 五星 满分 爱不释手 赞不绝口 强烈推荐 无可挑剔 喜出望外 棒极了 超级好 太好了 最好 最爱 完美无缺 十分满意 非常满意 超级满意 👍 😍 ❤ ❤️ 🥰 💯`],
  [2.6, `棒 赞 好评 满意 喜欢 推荐 值得 值得购买 值得推荐 划算 实惠 超快 给力 靠谱 放心 信赖 信任 开心 高兴 愉快 惊喜 精美 精致 漂亮 美丽 好看 帅气 大气 时尚 优雅 高档 上档次 有档次 舒服 舒适 柔软 细腻 清晰 流畅 快速 迅速 及时 神速 专业 耐心 热情 周到 贴心 细心 负责 优秀 出色 卓越 经典 好用 实用 耐用 结实 牢固 正品 正宗 新鲜 美味 好吃 香甜 可口 甜 香 鲜美 爽口 干净 整洁 安静 宽敞 方便 便利 便宜 物美价廉 性价比高 优惠 感谢 谢谢 感动 满足 完好 完整 无损 合身 合适 显瘦 百搭 透气 保暖 顺滑 柔顺 好闻 清香 省心 省力 惊喜 可爱 温馨 舒心 幸福 喜爱 钟爱 回购 再来 还会再来 下次还来 五分 👌 😊 😄 😀 🙂 ✨ 🎉`],
  [1.8, `好 不错 挺好 还好 较好 良好 可以 还可以 行 不赖 满好 蛮好 好用 正常 顺利 准时 按时 快 稳定 清楚 合理 适中 适合 舒畅 精彩 有趣 有用 有帮助 受益 收获 启发 感人 生动 通俗易懂 易懂 详细 全面 丰富 充实 实在 厚实 扎实 到位 及时 友好 礼貌 客气 真诚 诚信 用心 认真 仔细 靠得住 耐看 大方 简洁 轻便 轻巧 小巧 灵敏 好看 亮 亮丽 鲜艳 匹配 吻合 保质 新 全新 原装 实惠 便宜 划得来 支持 期待 喜 乐 笑 爽 酷 帅 美 甜美 可口 香`],
  [0.8, `一般 还行 凑合 普通 过得去 尚可 中规中矩 马马虎虎 及格`],
  [-1.0, `一般般 稍差 偏小 偏大 偏贵 贵 有点贵 略贵 慢 较慢 偏慢 薄 偏薄 硬 偏硬 味道大 有味 异味 色差 起球 掉色 褪色 缩水 皱 褶皱 松 紧 勒 闷 热 吵 噪音 响 发烫 发热 卡 卡顿 延迟 晚 迟 等了 拖 拖延 麻烦 繁琐 复杂 难用 不便 不方便 不清楚 不明白 疑惑 怀疑 担心 犹豫 遗憾 可惜 无奈 郁闷 纠结 一股味 小瑕疵 瑕疵 磨损 划痕 刮花 变形 漏 漏水 渗水 少 缺 缺少 不足 欠缺 单薄 粗糙 简陋 陈旧 老旧 旧 脏 灰尘 潮 湿 霉 冷 吵闹 拥挤 狭小 偏远 难吃 淡 咸 酸 涩 苦 硬邦邦`],
  [-2.0, `差 很差 较差 差劲 不好 不行 不满 不满意 失望 很失望 后悔 糟糕 糟 烂 破 破损 损坏 坏 坏了 坏掉 故障 问题 毛病 假 假货 假冒 仿冒 山寨 次品 劣质 残次 质量差 质量问题 做工差 粗制滥造 退货 退款 换货 返修 投诉 差评 不推荐 别买 上当 受骗 被骗 忽悠 坑 坑人 欺骗 欺诈 虚假 不值 不值得 浪费 白买 不靠谱 不负责 态度差 服务差 冷淡 敷衍 推脱 推诿 扯皮 傲慢 无礼 粗鲁 恶劣 生气 愤怒 气愤 恼火 烦 烦人 讨厌 难受 难看 丑 难闻 臭 恶心 发霉 腐烂 变质 过期 不新鲜 烂了 死机 蓝屏 黑屏 重启 断线 掉线 闪退 发热严重 耗电 不耐用 易坏 不准 不合适 不舒服 不清晰 模糊 慢死 太慢 太贵 不划算 亏 吃亏 没用 无用 鸡肋 累 痛苦 伤心 难过 沮丧 苦恼 不爽 无语 郁闷 醉了 呵呵 😡 😠 👎 😞 😢 😭 😒 🙁 ☹️ 💩`],
  [-3.0, `垃圾 太差 极差 最差 差极了 超差 非常差 特别差 很烂 太烂 垃圾货 坑爹 骗子 骗人 黑心 无良 奸商 恶心死了 太失望 非常失望 极度失望 彻底失望 再也不 再也不买 再也不会 绝不 千万别买 千万不要买 强烈不推荐 一星 零分 差评差评 退钱 气死 气死了 崩溃 无法忍受 忍无可忍 欺人太甚`],
];

/** Word → weight (−4 … +4). */
export const ZH_LEXICON: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [v, words] of GROUPS) for (const w of words.trim().split(/\s+/)) if (!m.has(w)) m.set(w, v);
  return m;
})();

/** Negators: flip (×−0.74) the sentiment word they precede within the clause. */
export const ZH_NEGATORS: ReadonlySet<string> = new Set(`不 没 没有 别 未 无 非 莫 勿 休 甭 不是 不太 不够 不怎么 不大 并不 并没有 并非 绝非 毫不 毫无 从不 从未 从没 不曾 未曾 没什么 不会 不能 不要 不用 无法 难以 决不 绝不`.trim().split(/\s+/));

/** Degree adverbs → multiplier on the following sentiment word. */
export const ZH_DEGREE: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const add = (v: number, s: string) => s.trim().split(/\s+/).forEach((w) => m.set(w, v));
  add(2.0, `极 极其 极为 极度 最 最为 超 超级 巨 绝对 完全 彻底 万分 无比 格外 分外 太 太过 过于 特 特别 尤其 异常`);
  add(1.6, `非常 十分 相当 很 挺 真 真是 真的 好 蛮 满 颇 颇为 甚 尤为 那么 这么 如此 实在 确实 的确 更 更加 越发 愈加`);
  add(1.2, `比较 较 较为 还 还算 算是 挺是`);
  add(0.6, `有点 有点儿 有些 稍 稍微 略 略微 些许 一点 一点儿 多少 不太 不是很 不怎么`);
  return m;
})();

/** Conjunctions that shift weight to the following clause ("但是" = "but"). */
export const ZH_BUT: ReadonlySet<string> = new Set(["但", "但是", "可是", "不过", "然而", "只是", "就是", "可惜"]);
