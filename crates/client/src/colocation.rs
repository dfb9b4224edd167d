use infraval_api::build_cost::{BuildCostRequest, BuildCostResponse};
use infraval_api::colocation::{ArrRequest, ArrResponse};
use infraval_api::project::{
    GoalSeekRequest, GoalSeekResponse, ProjectRequest, ProjectResponse, SensitivityRequest,
    SensitivityResponse,
};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/colocation/arr`: a colocation site's annual recurring
    /// revenue, or the rent or capacity behind it.
    pub async fn colocation_arr(&self, request: &ArrRequest) -> Result<ArrResponse, ClientError> {
        self.post("v1/colocation/arr", request).await
    }

    /// `POST /v1/build-cost`: a site's build cost and monthly spend schedule.
    pub async fn build_cost(
        &self,
        request: &BuildCostRequest,
    ) -> Result<BuildCostResponse, ClientError> {
        self.post("v1/build-cost", request).await
    }

    /// `POST /v1/colocation/project`: a site's cash flows and returns.
    pub async fn colocation_project(
        &self,
        request: &ProjectRequest,
    ) -> Result<ProjectResponse, ClientError> {
        self.post("v1/colocation/project", request).await
    }

    /// `POST /v1/colocation/goal-seek`: the input value that hits a target.
    pub async fn colocation_goal_seek(
        &self,
        request: &GoalSeekRequest,
    ) -> Result<GoalSeekResponse, ClientError> {
        self.post("v1/colocation/goal-seek", request).await
    }

    /// `POST /v1/colocation/sensitivity`: project results over a grid.
    pub async fn colocation_sensitivity(
        &self,
        request: &SensitivityRequest,
    ) -> Result<SensitivityResponse, ClientError> {
        self.post("v1/colocation/sensitivity", request).await
    }
}
