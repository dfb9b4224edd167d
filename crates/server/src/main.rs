//! The `infraval` binary: parse the command line, then serve, run a batch
//! file or print the spec.

use std::process::ExitCode;

use clap::Parser;
use infraval_server::config::{Cli, Command};
use infraval_server::startup::{self, Application};
use infraval_server::telemetry;
use infraval_server::{batch_file, mount};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Openapi => match mount::openapi().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("infraval: cannot render the OpenAPI document: {err}");
                ExitCode::FAILURE
            }
        },
        Command::Batch(args) => match batch_file::run(&args) {
            Ok(summary) => {
                eprintln!("infraval batch: {summary}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("infraval batch: {err}");
                ExitCode::FAILURE
            }
        },
        Command::Serve(args) => {
            let _logs = telemetry::init(args.log_format, args.log_buffer_lines as usize);
            let settings = match args.settings() {
                Ok(settings) => settings,
                Err(err) => {
                    eprintln!("infraval: {err}");
                    return ExitCode::from(2);
                }
            };
            let served = actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&settings)?;
                actix_web::rt::spawn(startup::stop_on_signal(app.handle())?);
                app.run_until_stopped().await
            });
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!(error = %err, "the server failed");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
