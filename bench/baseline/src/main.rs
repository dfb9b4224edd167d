//! A baseline for `bench/run.sh`: one POST endpoint that parses a ~10-field
//! JSON body, does trivial arithmetic and returns ~6 fields, with actix's
//! defaults and no logging. infraval's own overheads (validation, decimal
//! math, problem handling, logging, metrics) are measured against it.

use actix_web::{post, web, App, HttpServer};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Input {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
    g: f64,
    h: f64,
    i: f64,
    j: f64,
}

#[derive(Serialize)]
struct Output {
    sum: f64,
    product: f64,
    mean: f64,
    min: f64,
    max: f64,
    spread: f64,
}

#[post("/compute")]
async fn compute(input: web::Json<Input>) -> web::Json<Output> {
    let v = [
        input.a, input.b, input.c, input.d, input.e, input.f, input.g, input.h, input.i, input.j,
    ];
    let sum: f64 = v.iter().sum();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    web::Json(Output {
        sum,
        product: input.a * input.b,
        mean: sum / 10.0,
        min,
        max,
        spread: max - min,
    })
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9090".to_owned());
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    HttpServer::new(|| App::new().service(compute))
        .workers(workers)
        .bind(addr)?
        .run()
        .await
}
