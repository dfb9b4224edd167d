use infraval_api::mining::{
    ProductionRequest, ProductionResponse, ProjectionRequest, ProjectionResponse,
};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/mining/production`: a fleet's production and unit economics.
    pub async fn mining_production(
        &self,
        request: &ProductionRequest,
    ) -> Result<ProductionResponse, ClientError> {
        self.post("v1/mining/production", request).await
    }

    /// `POST /v1/mining/projection`: a monthly projection of bitcoin mined,
    /// revenue, power cost and margin.
    pub async fn mining_projection(
        &self,
        request: &ProjectionRequest,
    ) -> Result<ProjectionResponse, ClientError> {
        self.post("v1/mining/projection", request).await
    }
}
