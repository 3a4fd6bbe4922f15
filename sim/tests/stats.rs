//! Request statistics through the library and `/__sim/`.

mod common;

use common::*;

#[test]
fn counters_by_endpoint_and_reset() {
    let sim = start(120);
    get_ok(&sim, "/api/v2/deals?limit=50");
    get_ok(&sim, "/api/v2/deals?limit=7");
    get_ok(&sim, "/api/v2/deals/3");
    get_ok(&sim, "/v1/users");
    get_ok(&sim, "/api/v1/users");
    assert_eq!(get(&sim, "/api/v2/deals/999").status, 404);
    assert_eq!(request(&sim, "GET", "/api/v2/deals", None).status, 401);
    assert_eq!(get(&sim, "/api/v2/nowhere").status, 404);

    let stats = sim.stats();
    assert_eq!(stats.total_requests, 8);
    let deals = stats.endpoint("GET /api/v2/deals");
    assert_eq!((deals.requests, deals.rows, deals.errors), (3, 57, 1));
    let deal = stats.endpoint("GET /api/v2/deals/{id}");
    assert_eq!((deal.requests, deal.rows, deal.errors), (2, 1, 1));
    let users = stats.endpoint("GET /api/v1/users");
    assert_eq!(
        (users.requests, users.rows),
        (2, sim.dataset().user_count() * 2)
    );
    assert_eq!(stats.endpoint("GET /api/v2/persons").requests, 0);

    // The same numbers over HTTP, without a token; introspection itself is
    // not counted.
    let over_http = request(&sim, "GET", "/__sim/stats", None);
    assert_eq!(over_http.status, 200);
    let json = over_http.json();
    assert_eq!(json, stats.to_json());
    assert_eq!(json["total_requests"], 8);
    assert_eq!(json["endpoints"]["GET /api/v2/deals"]["rows"], 57);

    let reset = request(&sim, "POST", "/__sim/reset", None);
    assert_eq!(reset.status, 200);
    assert_eq!(sim.stats().total_requests, 0);
    assert!(sim.stats().endpoints.is_empty());
    get_ok(&sim, "/api/v2/stages");
    sim.reset_stats();
    assert_eq!(sim.stats(), pipedrive_sim::Stats::default());
}

#[test]
fn concurrent_clients_are_all_counted() {
    let sim = start(300);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..10 {
                    get_ok(&sim, "/api/v2/deals?limit=10");
                }
            });
        }
    });
    let deals = sim.stats().endpoint("GET /api/v2/deals");
    assert_eq!((deals.requests, deals.rows), (40, 400));
}

#[test]
fn dropping_the_simulator_stops_the_server() {
    let sim = start(10);
    let port = sim.port();
    assert_eq!(sim.base_url(), format!("http://127.0.0.1:{port}"));
    drop(sim);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
