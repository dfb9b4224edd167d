use infraval_api::valuations::{SumOfPartsRequest, SumOfPartsResponse};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/valuations/sum-of-parts`: sum-of-the-parts value per share
    /// for each scenario, with diluted shares solved consistently.
    pub async fn sum_of_parts(
        &self,
        request: &SumOfPartsRequest,
    ) -> Result<SumOfPartsResponse, ClientError> {
        self.post("v1/valuations/sum-of-parts", request).await
    }
}
