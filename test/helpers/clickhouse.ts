/**
 * Whether the ClickHouse engine tests can run: the shards started by
 * scripts/clickhouse.sh (from .ci/run) or CUSTLAB_CLICKHOUSE.
 * @module
 */
import * as path from "path";
import { spawnSync } from "child_process";

/** Why ClickHouse tests cannot run here, or "" when a server answers (then CUSTLAB_CLICKHOUSE is set). */
export function clickhouseUnavailable(): string {
  const url = process.env.CUSTLAB_CLICKHOUSE;
  if (url) return "";
  const script = path.resolve(__dirname, "../../scripts/clickhouse.sh");
  const r = spawnSync("bash", [script, "status"], { encoding: "utf8" });
  if (r.status === 0) {
    const env = spawnSync("bash", [script, "env"], { encoding: "utf8" }).stdout.trim();
    process.env.CUSTLAB_CLICKHOUSE = env.replace(/^CUSTLAB_CLICKHOUSE=/, "");
    return "";
  }
  const installed = spawnSync("bash", ["-c", "command -v clickhouse-server"], { encoding: "utf8" }).status === 0;
  return installed ? "clickhouse-server is installed but the shards are not running (scripts/clickhouse.sh start; .ci/run does it)" : "clickhouse-server is not installed (apt-get install clickhouse-server clickhouse-client; .ci/run does it)";
}
