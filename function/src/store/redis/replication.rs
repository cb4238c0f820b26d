//! Replicas: which node of a replicated server is the primary now, which replica of a
//! cluster shard reads go to, and the `WAIT` that makes a write visible to every reader
//! before it is acknowledged.
//!
//! # Read your writes
//! Reads go to replicas, which receive a write a moment after the primary. A post is
//! therefore acknowledged only after `WAIT` confirms that every replica connected to the
//! primary has it ([`confirm`]): then the next read from any of them sees it. When the
//! replicas do not confirm within the bounded wait, the post is answered 503 with
//! Retry-After: the score is stored on the primary and replicates on its own (a read may
//! show it a moment later), and a retry of the same post (idempotent by score id) is
//! answered once the replicas confirm it. A replica that is cut off from the primary is not
//! counted by `WAIT` and may serve reads that miss scores acknowledged meanwhile, until it
//! reconnects (seconds); run replicas with `replica-serve-stale-data no` to have them
//! refuse reads instead (the read is then retried on the primary), at the price of reads
//! failing while the primary is down. A read that fails on a replica (down, loading) is
//! retried on the primary.
//!
//! # Failover (one server with replicas, no Sentinel)
//! The function knows every node. After a connection failure or a write refused with
//! `READONLY` (the node was demoted), it asks every node `ROLE` ([`find_primary`]) and
//! writes to the one that is a master, preferring the master with the most replicas (a
//! restarted old primary that came back empty has none). While no node is the primary,
//! posts answer 503 with Retry-After. A score answered 201 was confirmed on every connected
//! replica, so the replica promoted holds it: nothing acknowledged is lost.

use std::time::Duration;

use redis::cluster::NodeAddress;
use redis::cluster_read_routing::{ReadCandidates, ReadRoutingStrategy};
use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use redis::{from_redis_value, Cmd, RedisError, Value};

use super::conn::{connect_node, Conn, RESPONSE_TIMEOUT};

/// What `ROLE` says a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A master with this many connected replicas.
    Master {
        replicas: usize,
    },
    Replica,
}

fn role_of(reply: Value) -> Result<Role, RedisError> {
    let mut parts = from_redis_value::<Vec<Value>>(reply)?.into_iter();
    let kind: String = from_redis_value(parts.next().unwrap_or(Value::Nil))?;
    if kind == "master" {
        let replicas: Vec<Value> = from_redis_value(parts.nth(1).unwrap_or(Value::Nil))?;
        Ok(Role::Master {
            replicas: replicas.len(),
        })
    } else {
        Ok(Role::Replica)
    }
}

/// The primary among `nodes` and a connection to it: the master with the most replicas
/// (ties: the one at `known`, the last primary, else the first listed); an error when no
/// node is a master (a failover in progress). Every node is asked at once, so a node that
/// does not answer costs one connect timeout, not one per node.
pub async fn find_primary(nodes: &[String], known: usize) -> Result<(usize, Conn), RedisError> {
    let mut asked = tokio::task::JoinSet::new();
    for (index, url) in nodes.iter().enumerate() {
        let url = url.clone();
        asked.spawn(async move {
            let mut conn = connect_node(&url, RESPONSE_TIMEOUT).await?;
            let reply = redis::cmd("ROLE").query_async::<Value>(&mut conn).await?;
            Ok::<_, RedisError>((index, role_of(reply)?, conn))
        });
    }
    let mut best: Option<(usize, usize, Conn)> = None;
    let mut last_error = None;
    while let Some(joined) = asked.join_next().await {
        match joined {
            Ok(Ok((index, Role::Master { replicas }, conn))) => {
                let better = match &best {
                    None => true,
                    Some((best_index, most, _)) => {
                        replicas > *most
                            || (replicas == *most
                                && (index == known || index < *best_index)
                                && *best_index != known)
                    }
                };
                if better {
                    best = Some((index, replicas, conn));
                }
            }
            Ok(Ok((_, Role::Replica, _))) => {}
            Ok(Err(e)) => last_error = Some(e),
            Err(_) => {}
        }
    }
    match best {
        Some((index, _, conn)) => Ok((index, conn)),
        None => Err(RedisError::from(std::io::Error::new(
            std::io::ErrorKind::NotConnected,
            match last_error {
                None => "no Redis node is the primary now (a failover in progress?)".to_string(),
                Some(e) => format!(
                    "no Redis node is the primary now (a failover in progress?); last error: {e}"
                ),
            },
        ))),
    }
}

/// How a write's replication went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// Every connected replica has the write (or there are none).
    Confirmed,
    /// Only `acked` of the `wanted` replicas confirmed it within the wait.
    Unconfirmed { acked: usize, wanted: usize },
}

/// Waits (at most `wait`) until every replica connected to the primary that took the
/// writes sent on `conn` has them. For a cluster, `slot_key` names the slot whose master
/// is asked. Must run on the connection the write went through: `WAIT` counts that
/// client's writes.
pub async fn confirm(
    conn: &mut Conn,
    slot_key: &[u8],
    wait: Duration,
) -> Result<Confirmation, RedisError> {
    let role = role_of(send(conn, slot_key, redis::cmd("ROLE")).await?)?;
    let Role::Master { replicas: wanted } = role else {
        // The node that took the write is a replica now: unknown whether it survives.
        return Ok(Confirmation::Unconfirmed {
            acked: 0,
            wanted: 1,
        });
    };
    if wanted == 0 {
        return Ok(Confirmation::Confirmed);
    }
    let mut wait_cmd = redis::cmd("WAIT");
    wait_cmd
        .arg(wanted)
        .arg(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1));
    let acked: usize = from_redis_value(send(conn, slot_key, wait_cmd).await?)?;
    Ok(if acked >= wanted {
        Confirmation::Confirmed
    } else {
        Confirmation::Unconfirmed { acked, wanted }
    })
}

/// Sends `cmd` to the server, or in a cluster to the master of `slot_key`'s slot (redis-rs
/// would send `WAIT` to every master and `ROLE` to any node).
async fn send(conn: &mut Conn, slot_key: &[u8], cmd: Cmd) -> Result<Value, RedisError> {
    match conn {
        Conn::Single(_) => cmd.query_async(conn).await,
        Conn::Cluster(cluster) => {
            let route = Route::with_key(slot_key, SlotAddr::Master);
            cluster
                .route_command(
                    cmd,
                    RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(route)),
                )
                .await
        }
    }
}

/// Cluster reads: each shard's reads go to one replica, the same for the life of the
/// connection (chosen per process), so one function instance's reads never go back in time
/// (a version then a page read from two replicas could), and a fleet's instances spread
/// over the replicas.
#[derive(Debug)]
pub struct StickyReplica {
    choice: usize,
}

impl Default for StickyReplica {
    fn default() -> Self {
        use std::hash::{BuildHasher, RandomState};
        StickyReplica {
            choice: RandomState::new().hash_one(std::process::id()) as usize,
        }
    }
}

impl ReadRoutingStrategy for StickyReplica {
    fn route_read<'a>(&self, candidates: &ReadCandidates<'a>) -> &'a NodeAddress {
        let replicas = match candidates {
            ReadCandidates::AnyNode(c) => c.replicas(),
            ReadCandidates::ReplicasOnly(c) => c.replicas(),
        };
        let mut sorted: Vec<&'a NodeAddress> = replicas.iter().collect();
        // By address, so the choice does not depend on the order the topology listed them.
        sorted.sort_by_key(|node| node.to_string());
        sorted
            .get(self.choice % sorted.len().max(1))
            .copied()
            .unwrap_or_else(|| replicas.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_replies_name_masters_and_their_replicas() {
        let master = Value::Array(vec![
            Value::BulkString(b"master".to_vec()),
            Value::Int(42),
            Value::Array(vec![Value::Array(vec![
                Value::BulkString(b"127.0.0.1".to_vec()),
                Value::BulkString(b"7001".to_vec()),
                Value::BulkString(b"42".to_vec()),
            ])]),
        ]);
        assert_eq!(role_of(master).unwrap(), Role::Master { replicas: 1 });
        let replica = Value::Array(vec![
            Value::BulkString(b"slave".to_vec()),
            Value::BulkString(b"127.0.0.1".to_vec()),
            Value::Int(7000),
            Value::BulkString(b"connected".to_vec()),
            Value::Int(42),
        ]);
        assert_eq!(role_of(replica).unwrap(), Role::Replica);
    }
}
